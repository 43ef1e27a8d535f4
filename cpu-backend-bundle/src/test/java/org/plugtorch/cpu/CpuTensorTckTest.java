package org.plugtorch.cpu;

import org.plugtorch.spi.Backend;
import org.plugtorch.tck.TensorTck;

/** The frontend test kit with the CPU backend serving {@code cpu}. */
class CpuTensorTckTest extends TensorTck {
    @Override
    protected Backend backend() {
        return new CpuBackend();
    }
}
