package org.plugtorch.cpu;

import org.plugtorch.spi.Backend;
import org.plugtorch.tck.AutogradTck;

/** The autograd kit with the float32 GEMM forced onto the scalar path, the one a JVM without the Vector API runs. */
class CpuScalarGemmAutogradTckTest extends AutogradTck {
    @Override
    protected Backend backend() {
        return new CpuBackend(Runtime.getRuntime().availableProcessors(), "scalar");
    }
}
