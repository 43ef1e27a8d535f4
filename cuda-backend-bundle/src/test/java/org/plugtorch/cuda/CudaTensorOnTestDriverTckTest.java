package org.plugtorch.cuda;

import org.plugtorch.spi.Backend;
import org.plugtorch.tck.TensorTck;

/** The frontend test kit with tensors on a {@code cuda:0} served by the backend over {@link FakeCudaDriver}. */
class CudaTensorOnTestDriverTckTest extends TensorTck {
    @Override
    protected Backend backend() {
        return FakePlatforms.backend(FakeCudaDriver.oneGpu(1L << 30));
    }
}
