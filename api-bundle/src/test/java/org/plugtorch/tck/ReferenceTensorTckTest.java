package org.plugtorch.tck;

import org.plugtorch.spi.Backend;

/**
 * The frontend kit on a second reference device, as a GPU backend module runs it: a non-CPU device, moves staged
 * through the host, and no CPU backend but the kit's own.
 */
class ReferenceTensorTckTest extends TensorTck {
    @Override
    protected Backend backend() {
        return new ReferenceBackend("tckself");
    }
}
