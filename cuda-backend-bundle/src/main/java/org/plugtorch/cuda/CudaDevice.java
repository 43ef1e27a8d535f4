package org.plugtorch.cuda;

import static org.plugtorch.spi.Preconditions.checkArgument;

import java.nio.Buffer;
import java.util.LinkedHashMap;
import java.util.Map;
import org.plugtorch.DType;
import org.plugtorch.Device;
import org.plugtorch.spi.DeviceInfo;

/**
 * One CUDA device: its primary context (retained on first use and made current on whichever thread calls), its
 * allocations, its pinned staging memory and its loaded kernels. Every method that touches the device enters the
 * context first, so callers never carry context state between threads: the Cleaner thread frees like any other.
 */
final class CudaDevice {
    final int ordinal;
    final Device device;
    final DeviceProperties properties;
    final Allocations allocations = new Allocations();
    final KernelCache kernels;
    private final CudaDriver driver;
    private final PinnedStaging staging;
    private final MemoryReclaimer reclaimer;
    private volatile CudaDriver.Context context;
    private volatile boolean closed;

    CudaDevice(
            CudaDriver driver,
            int ordinal,
            DeviceProperties properties,
            int stagingChunkBytes,
            MemoryReclaimer reclaimer) {
        this.driver = driver;
        this.ordinal = ordinal;
        this.device = Device.of("cuda", ordinal);
        this.properties = properties;
        this.staging = new PinnedStaging(driver, stagingChunkBytes);
        this.kernels = new KernelCache(driver, device.toString());
        this.reclaimer = reclaimer;
    }

    /** Makes this device's context current on the calling thread, retaining the primary context on first use. */
    CudaDriver.Context enter() {
        CudaDriver.Context c = context;
        if (c == null) {
            synchronized (this) {
                if (closed) {
                    throw released();
                }
                c = context;
                if (c == null) {
                    c = driver.retainPrimaryContext(ordinal);
                    context = c;
                }
            }
        }
        driver.setCurrent(c);
        return c;
    }

    private IllegalStateException released() {
        return new IllegalStateException(device + " is no longer served: the cuda backend was deactivated");
    }

    boolean isClosed() {
        return closed;
    }

    DeviceInfo info() {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("compute capability", properties.computeCapability());
        p.put("multiprocessors", Integer.toString(properties.multiprocessors));
        p.put("memory", Bytes.describe(properties.totalMemory));
        p.put(
                "gemm",
                "tiled CUDA C (" + MatmulLaunch.TILE_32 + "x" + MatmulLaunch.TILE_32 + " tiles for 32-bit, "
                        + MatmulLaunch.TILE_64 + "x" + MatmulLaunch.TILE_64 + " for 64-bit)");
        p.put("kernels", "PTX ISA 8.0, sm_75, JIT-compiled by the driver");
        return new DeviceInfo(device, properties.name, properties.totalMemory, p);
    }

    // ---- memory ----

    CudaBuffer allocate(DType dtype, long size) {
        checkArgument(
                size >= 0 && size <= Long.MAX_VALUE / dtype.byteSize(),
                () -> "cannot allocate " + size + " elements of " + dtype + " on " + device);
        long bytes = size * dtype.byteSize();
        if (bytes == 0) {
            return new CudaBuffer(this, dtype, size, 0); // cuMemAlloc refuses 0 bytes; nothing to hold
        }
        enter();
        long address;
        try {
            address = driver.allocate(bytes);
        } catch (CudaException e) {
            if (e.code() != CudaException.OUT_OF_MEMORY) {
                throw e;
            }
            reclaimer.reclaim(allocations);
            enter();
            try {
                address = driver.allocate(bytes);
            } catch (CudaException again) {
                throw again.code() == CudaException.OUT_OF_MEMORY ? outOfMemory(dtype, size, again) : again;
            }
        }
        CudaBuffer b = new CudaBuffer(this, dtype, size, address);
        try {
            driver.zero(address, bytes);
        } catch (CudaException e) {
            driver.free(address);
            throw e;
        }
        allocations.add(b);
        return b;
    }

    private IllegalStateException outOfMemory(DType dtype, long size, CudaException cause) {
        String free;
        try {
            long[] info = driver.memoryInfo();
            free = Bytes.describe(info[0]) + " free of " + Bytes.describe(info[1]);
        } catch (CudaException e) {
            free = "free memory unknown (" + e.getMessage() + ")";
        }
        long bytes = size * dtype.byteSize();
        return new IllegalStateException(
                "CUDA out of memory on " + device + " (" + properties.name + "): cannot allocate "
                        + size + " elements of " + dtype + " (" + Bytes.describe(bytes) + "); " + free
                        + ", of which this "
                        + "backend holds " + allocations.count() + " buffers (" + Bytes.describe(allocations.bytes())
                        + ") ["
                        + cause.getMessage() + "]",
                cause);
    }

    /**
     * Frees a buffer now, from any thread. Queued kernels may still read it (tensors die while their last operation
     * runs), so the context is synchronised first. After deactivation the memory went with the context, and only the
     * bookkeeping is left to do.
     */
    void free(CudaBuffer b) {
        if (!b.markFreed()) {
            if (closed) {
                return; // close() freed it with the rest of the device's memory
            }
            throw new IllegalStateException("double free of " + b);
        }
        allocations.remove(b);
        if (b.address == 0 || closed) {
            return;
        }
        enter();
        driver.synchronize();
        driver.free(b.address);
    }

    void copyIn(CudaBuffer dst, long dstOffset, Buffer src) {
        enter();
        staging.copyIn(dst, dstOffset, src);
    }

    void copyOut(CudaBuffer src, long srcOffset, Buffer dst) {
        enter();
        staging.copyOut(src, srcOffset, dst);
    }

    /** Device to device within this device, or from {@code src}'s device (another one) to this one. */
    void copyFrom(CudaBuffer dst, long dstOffset, CudaBuffer src, long srcOffset, long count) {
        long bytes = count * dst.dtype.byteSize();
        if (src.owner == this) {
            enter();
            driver.copyOnDevice(dst.addressOf(dstOffset), src.addressOf(srcOffset), bytes);
        } else {
            CudaDriver.Context from = src.owner.enter();
            CudaDriver.Context to = enter();
            driver.copyPeer(dst.addressOf(dstOffset), to, src.addressOf(srcOffset), from, bytes);
        }
    }

    /** Waits for everything queued on this device. */
    void synchronize() {
        enter();
        driver.synchronize();
    }

    /** Launches {@code kernel} of {@code module} with this device's context current. */
    void launch(KernelModule module, String kernel, int[] grid, int[] block, byte[][] params) {
        enter();
        driver.launch(kernels.get(module, kernel), grid, block, 0, params);
        if (CudaBackend.SYNCHRONOUS) {
            driver.synchronize();
        }
    }

    /**
     * Releases everything: waits for queued work, frees the live buffers (their storages then see a deactivated
     * backend), the staging memory and the modules, and releases the primary context. Idempotent.
     */
    synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        CudaDriver.Context c = context;
        if (c == null) {
            return;
        }
        driver.setCurrent(c);
        try {
            driver.synchronize();
            for (CudaBuffer b : allocations.snapshot()) {
                if (b.markFreed()) {
                    allocations.remove(b);
                    driver.free(b.address);
                }
            }
            staging.close();
            kernels.close();
        } finally {
            context = null;
            driver.releasePrimaryContext(ordinal);
        }
    }
}
