package org.plugtorch.cuda;

import org.plugtorch.spi.Backend;
import org.plugtorch.tck.BackendTck;

/**
 * The backend test kit on the real backend over {@link FakeCudaDriver}, whose kernels are the reference's: every SPI
 * call the kit makes goes through the host side (checks, layouts, staging, argument packing, launch splitting) and
 * must come out right. The CUDA C itself is proven by {@link CudaBackendTckTest} on a GPU.
 */
class CudaBackendOnTestDriverTckTest extends BackendTck {
    @Override
    protected Backend backend() {
        return FakePlatforms.backend(FakeCudaDriver.oneGpu(1L << 30));
    }
}
