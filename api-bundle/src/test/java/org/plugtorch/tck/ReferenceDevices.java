package org.plugtorch.tck;

import org.plugtorch.Device;
import org.plugtorch.registry.Backends;

/**
 * Registers the reference backend for a second device, {@code fake:0} (and for {@code cpu} where no CPU backend is
 * on the classpath, as in api-bundle's own tests), so that tests without a
 * GPU can move tensors between two distinct devices and hit every device check. {@code fake:0} is plainly a test
 * device: nothing in it passes for CUDA or OpenCL.
 */
public final class ReferenceDevices {
    /** A second device served by the reference kernels. */
    public static final Device FAKE = Device.parse("fake:0");

    private static boolean installed;

    private ReferenceDevices() {}

    /** Registers {@code fake:0}, and {@code cpu} too unless a real CPU backend already serves it. */
    public static synchronized void install() {
        if (!installed) {
            if (!Backends.devices().contains(Device.CPU)) {
                Backends.register(new ReferenceBackend());
            }
            Backends.register(new ReferenceBackend("fake"));
            installed = true;
        }
    }
}
