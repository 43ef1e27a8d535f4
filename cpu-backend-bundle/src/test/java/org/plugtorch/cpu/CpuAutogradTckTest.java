package org.plugtorch.cpu;

import org.plugtorch.spi.Backend;
import org.plugtorch.tck.AutogradTck;

/** The autograd kit (finite differences and PyTorch's recorded gradients) with the CPU backend serving {@code cpu}. */
class CpuAutogradTckTest extends AutogradTck {
    @Override
    protected Backend backend() {
        return new CpuBackend();
    }
}
