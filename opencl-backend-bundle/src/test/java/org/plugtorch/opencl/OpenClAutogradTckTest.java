package org.plugtorch.opencl;

import org.plugtorch.spi.Backend;
import org.plugtorch.tck.AutogradTck;

/** The autograd test kit on opencl:0: backward passes through the OpenCL kernels, against PyTorch's numbers. */
class OpenClAutogradTckTest extends AutogradTck {
    @Override
    protected Backend backend() {
        return SharedOpenCl.backend();
    }
}
