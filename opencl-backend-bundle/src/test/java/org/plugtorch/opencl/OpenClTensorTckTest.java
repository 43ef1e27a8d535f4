package org.plugtorch.opencl;

import org.plugtorch.spi.Backend;
import org.plugtorch.tck.TensorTck;

/** The frontend test kit: Tensor programs on opencl:0 against the same programs on a reference-served device. */
class OpenClTensorTckTest extends TensorTck {
    @Override
    protected Backend backend() {
        return SharedOpenCl.backend();
    }
}
