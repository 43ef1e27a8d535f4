package org.plugtorch.tck;

import org.plugtorch.registry.Backends;
import org.plugtorch.spi.Backend;

/**
 * The autograd kit on {@code fake:0}, a second reference-served device: training on a device that is not the CPU,
 * where every move is a real transfer and every gradient must land on the device.
 */
class FakeDeviceAutogradTest extends AutogradTck {
    @Override
    protected Backend backend() {
        ReferenceDevices.install();
        return Backends.forDevice(ReferenceDevices.FAKE);
    }
}
