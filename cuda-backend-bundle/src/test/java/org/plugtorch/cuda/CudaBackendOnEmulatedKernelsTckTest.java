package org.plugtorch.cuda;

import org.junit.jupiter.api.Assumptions;
import org.plugtorch.spi.Backend;
import org.plugtorch.tck.BackendTck;

/**
 * The backend test kit with every launch running the backend's CUDA C kernels, compiled for the CPU
 * ({@link EmulatedKernels}): the kernel source's logic, checked against the reference on every case, without a GPU.
 * Skipped, with the reason, where g++ is missing.
 */
class CudaBackendOnEmulatedKernelsTckTest extends BackendTck {
    @Override
    protected Backend backend() {
        Assumptions.assumeTrue(CudaEmulator.unavailableReason() == null, CudaEmulator::unavailableReason);
        CudaEmulator.binary(); // with g++ present, sources that do not build are an error, not a skip
        return FakePlatforms.backend(EmulatedKernels.driver(1L << 30));
    }
}
