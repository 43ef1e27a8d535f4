package org.plugtorch.cuda;

/** CUDA's integer versions ({@code 12060}) as people write them ({@code 12.6}). */
final class CudaVersions {
    private CudaVersions() {}

    static String format(int version) {
        return version / 1000 + "." + version % 1000 / 10;
    }
}
