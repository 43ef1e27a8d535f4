package org.plugtorch.opencl;

import org.plugtorch.spi.Backend;
import org.plugtorch.tck.BackendTck;

/** The backend test kit on opencl:0: every SPI kernel against the reference, for every dtype the backend claims. */
class OpenClBackendTckTest extends BackendTck {
    @Override
    protected Backend backend() {
        return SharedOpenCl.backend();
    }
}
