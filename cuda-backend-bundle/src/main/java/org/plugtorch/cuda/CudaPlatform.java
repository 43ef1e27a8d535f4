package org.plugtorch.cuda;

/**
 * How the backend reaches CUDA when it starts: first the runtime's device count, which works (and fails politely)
 * with no driver installed, then the driver itself. Tests substitute platforms whose libraries are missing or whose
 * devices are fakes.
 */
interface CudaPlatform {
    /**
     * {@code cudaGetDeviceCount}.
     *
     * @throws CudaException when the runtime reports an error (no driver, a driver too old)
     * @throws LinkageError when the runtime's native library cannot be loaded
     */
    int runtimeDeviceCount();

    /**
     * The driver API, initialised; called only after {@link #runtimeDeviceCount} found a device.
     *
     * @throws CudaException when {@code cuInit} fails
     * @throws LinkageError when the driver's native library (or {@code libcuda.so.1}) cannot be loaded
     */
    CudaDriver openDriver();
}
