package org.plugtorch.cuda;

import org.plugtorch.spi.Backend;
import org.plugtorch.tck.TensorTck;

/** The frontend test kit with tensors on {@code cuda:0} of this machine; skipped, with the reason, without a GPU. */
class CudaTensorTckTest extends TensorTck {
    @Override
    protected Backend backend() {
        return new CudaBackend();
    }
}
