package org.plugtorch.cuda;

import java.util.concurrent.atomic.AtomicBoolean;
import org.plugtorch.DType;
import org.plugtorch.Device;
import org.plugtorch.spi.DeviceBuffer;

/** One {@code cuMemAlloc} allocation: {@code size} elements of one dtype at a device address (0 when empty). */
final class CudaBuffer implements DeviceBuffer {
    final CudaDevice owner;
    final DType dtype;
    final long size;
    final long address;
    private final AtomicBoolean freed = new AtomicBoolean();

    CudaBuffer(CudaDevice owner, DType dtype, long size, long address) {
        this.owner = owner;
        this.dtype = dtype;
        this.size = size;
        this.address = address;
    }

    @Override
    public Device device() {
        return owner.device;
    }

    @Override
    public DType dtype() {
        return dtype;
    }

    @Override
    public long size() {
        return size;
    }

    long bytes() {
        return size * dtype.byteSize();
    }

    /** The address of element {@code index}. */
    long addressOf(long index) {
        return address + index * dtype.byteSize();
    }

    /** Marks the buffer freed; false when it already was. */
    boolean markFreed() {
        return freed.compareAndSet(false, true);
    }

    boolean isFreed() {
        return freed.get();
    }

    @Override
    public String toString() {
        return "CudaBuffer(" + owner.device + ", " + dtype.torchName() + "[" + size + "] at 0x"
                + Long.toHexString(address) + (isFreed() ? ", freed" : "") + ")";
    }
}
