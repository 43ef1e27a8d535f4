package org.plugtorch.cuda;

import java.nio.ByteBuffer;

/**
 * The slice of the CUDA driver API that the backend uses, and nothing more, so that everything above it (contexts,
 * allocation bookkeeping, staging, error mapping, kernel argument packing, launch geometry) runs unchanged against
 * the real driver ({@link JCudaNativeDriver}) or a test driver that has no GPU behind it.
 *
 * <p>Device memory is named by raw 64-bit device addresses, as kernels see it. Memory, copy and launch calls act in
 * the context made current on the calling thread by {@link #setCurrent}. Every method reports a failed CUDA call as a
 * {@link CudaException} naming the call and the error; none returns an error code.
 */
interface CudaDriver {
    /** A device's primary context. */
    interface Context {}

    /** A loaded PTX module. */
    interface Module {}

    /** A kernel function of a loaded module. */
    interface Kernel {}

    /** Page-locked host memory, which the device copies from and to directly. */
    interface PinnedMemory {
        /** The memory as a byte buffer of {@link #size()} bytes (its byte order is the caller's to set). */
        ByteBuffer bytes();

        long size();
    }

    /** {@code cuDriverGetVersion}: 1000 * major + 10 * minor of the CUDA version the driver supports. */
    int driverVersion();

    /** {@code cuDeviceGetCount}. */
    int deviceCount();

    /** Name, compute capability, memory and multiprocessors of device {@code ordinal}. */
    DeviceProperties properties(int ordinal);

    /** {@code cuDevicePrimaryCtxRetain}. */
    Context retainPrimaryContext(int ordinal);

    /** {@code cuDevicePrimaryCtxRelease}: the context and all its memory go once nobody else retains it. */
    void releasePrimaryContext(int ordinal);

    /** {@code cuCtxSetCurrent} on the calling thread. */
    void setCurrent(Context context);

    /** {@code cuCtxSynchronize}: waits for all work queued in the current context. */
    void synchronize();

    /** {@code cuMemGetInfo}: free and total bytes of the current context's device. */
    long[] memoryInfo();

    /** {@code cuMemAlloc}: {@code bytes} (more than 0) of device memory, not initialised. */
    long allocate(long bytes);

    /** {@code cuMemFree}. */
    void free(long address);

    /** {@code cuMemsetD8} to zero. */
    void zero(long address, long bytes);

    /** {@code cuMemAllocHost}. */
    PinnedMemory allocatePinned(long bytes);

    /** {@code cuMemFreeHost}. */
    void freePinned(PinnedMemory memory);

    /** {@code cuMemcpyHtoD} from pinned memory: returns when the copy is complete. */
    void copyToDevice(long dst, PinnedMemory src, long srcOffset, long bytes);

    /** {@code cuMemcpyDtoH} into pinned memory: returns when the copy is complete. */
    void copyToHost(PinnedMemory dst, long dstOffset, long src, long bytes);

    /** {@code cuMemcpyDtoD} within the current context's device, ordered after the work queued before it. */
    void copyOnDevice(long dst, long src, long bytes);

    /** {@code cuMemcpyPeer} between two contexts' devices, ordered after the work queued in both. */
    void copyPeer(long dst, Context dstContext, long src, Context srcContext, long bytes);

    /** {@code cuModuleLoadData} in the current context; {@code ptx} ends with a NUL byte; {@code name} is for messages. */
    Module loadModule(String name, byte[] ptx);

    /** {@code cuModuleUnload}. */
    void unloadModule(Module module);

    /** {@code cuModuleGetFunction}. */
    Kernel kernel(Module module, String name);

    /**
     * {@code cuLaunchKernel} on the current context's default stream: queued, not waited for. Each element of
     * {@code params} is one kernel parameter's bytes, little-endian, as the kernel declares it.
     */
    void launch(Kernel kernel, int[] grid, int[] block, int sharedBytes, byte[][] params);
}
