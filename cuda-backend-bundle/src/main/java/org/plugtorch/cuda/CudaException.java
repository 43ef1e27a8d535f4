package org.plugtorch.cuda;

/** A CUDA call that returned an error: names the call, the error and its code ({@code cuMemAlloc failed: ...}). */
final class CudaException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** {@code CUDA_ERROR_OUT_OF_MEMORY}. */
    static final int OUT_OF_MEMORY = 2;

    private final String call;
    private final int code;
    private final String error;

    CudaException(String call, int code, String error) {
        super(call + " failed: " + error + " (" + code + ")");
        this.call = call;
        this.code = code;
        this.error = error;
    }

    /** The CUDA function that failed, such as {@code cuMemAlloc}. */
    String call() {
        return call;
    }

    /** The {@code CUresult} (or {@code cudaError_t}) value. */
    int code() {
        return code;
    }

    /** The error's name, such as {@code CUDA_ERROR_OUT_OF_MEMORY}. */
    String error() {
        return error;
    }
}
