package org.plugtorch.cuda;

import org.plugtorch.spi.Backend;
import org.plugtorch.tck.BackendTck;

/**
 * The backend test kit on {@code cuda:0} of this machine, through JCuda and the committed PTX. Where there is no
 * CUDA driver or device the kit skips every case, and JUnit reports the backend's reason.
 */
class CudaBackendTckTest extends BackendTck {
    @Override
    protected Backend backend() {
        return new CudaBackend();
    }
}
