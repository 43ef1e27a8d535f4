package org.plugtorch.cuda;

import jcuda.runtime.JCuda;
import jcuda.runtime.cudaError;

/**
 * The real platform: JCuda 12.6's runtime binding for the device count, then its driver binding. JCuda's runtime
 * library links the CUDA runtime statically, so it loads on a machine without {@code libcuda.so.1} and answers
 * {@code cudaErrorInsufficientDriver}; its driver library needs {@code libcuda.so.1} to load at all. Hence the order.
 */
final class JCudaPlatform implements CudaPlatform {
    @Override
    public int runtimeDeviceCount() {
        int[] count = {0};
        int result = JCuda.cudaGetDeviceCount(count);
        if (result != cudaError.cudaSuccess) {
            throw new CudaException("cudaGetDeviceCount", result, cudaError.stringFor(result));
        }
        return count[0];
    }

    @Override
    public CudaDriver openDriver() {
        return new JCudaNativeDriver();
    }
}
