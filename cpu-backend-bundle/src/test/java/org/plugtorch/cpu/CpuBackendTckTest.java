package org.plugtorch.cpu;

import org.plugtorch.spi.Backend;
import org.plugtorch.tck.BackendTck;

/** The backend test kit on the CPU backend, with its default thread count. */
class CpuBackendTckTest extends BackendTck {
    @Override
    protected Backend backend() {
        return new CpuBackend();
    }
}
