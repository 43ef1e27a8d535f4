package org.plugtorch.opencl;

import org.plugtorch.DType;
import org.plugtorch.Device;
import org.plugtorch.spi.DeviceBuffer;

/**
 * One allocation on an OpenCL device: a range of the device's arena for its dtype. The range never moves (an arena
 * that grows keeps every offset), so a buffer is just where it starts and how long it is.
 */
final class ClBuffer implements DeviceBuffer {
    private final Device device;
    private final DType dtype;
    private final long size;
    /** First element in the arena; 0 and unused for an empty buffer. */
    final int arenaOffset;
    /** Set under the device's lock by free: a freed buffer must never be used again. */
    boolean freed;
    /**
     * A reused range whose zeroing was deferred until first use ({@link ClDevice#settle}); set at allocation only, and
     * cleared under the device's lock.
     */
    volatile boolean zeroPending;

    ClBuffer(Device device, DType dtype, long size, int arenaOffset) {
        this.device = device;
        this.dtype = dtype;
        this.size = size;
        this.arenaOffset = arenaOffset;
    }

    @Override
    public Device device() {
        return device;
    }

    @Override
    public DType dtype() {
        return dtype;
    }

    @Override
    public long size() {
        return size;
    }

    @Override
    public String toString() {
        return "ClBuffer(" + device + ", " + dtype.torchName() + "[" + size + "] at arena element " + arenaOffset + ")";
    }
}
