package org.plugtorch.tck;

import org.plugtorch.spi.Backend;

/**
 * The kit run on its own oracle, serving a non-CPU device: checks the kit itself (every generated operand in
 * bounds, every case accepted by the reference, device buffers that are not host buffers, staged copies) so that a
 * backend failing it is failing for its own reasons.
 */
class ReferenceBackendTckTest extends BackendTck {
    @Override
    protected Backend backend() {
        return new ReferenceBackend("tckself");
    }
}
