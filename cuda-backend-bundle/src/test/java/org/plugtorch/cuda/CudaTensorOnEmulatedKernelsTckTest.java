package org.plugtorch.cuda;

import org.junit.jupiter.api.Assumptions;
import org.plugtorch.spi.Backend;
import org.plugtorch.tck.TensorTck;

/** The frontend test kit on a {@code cuda:0} whose kernels are the backend's CUDA C run on the CPU. */
class CudaTensorOnEmulatedKernelsTckTest extends TensorTck {
    @Override
    protected Backend backend() {
        Assumptions.assumeTrue(CudaEmulator.unavailableReason() == null, CudaEmulator::unavailableReason);
        CudaEmulator.binary(); // with g++ present, sources that do not build are an error, not a skip
        return FakePlatforms.backend(EmulatedKernels.driver(1L << 30));
    }
}
