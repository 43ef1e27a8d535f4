package org.plugtorch.tck;

import org.plugtorch.Device;
import org.plugtorch.registry.Backends;
import org.plugtorch.spi.Backend;

/** The autograd kit on {@code cpu}, served by the reference kernels in api-bundle's tests. */
class ReferenceAutogradTest extends AutogradTck {
    @Override
    protected Backend backend() {
        ReferenceDevices.install();
        return Backends.forDevice(Device.CPU);
    }
}
