package org.plugtorch.launcher;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.plugtorch.launcher.FrameworkITSupport.FAKE;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.plugtorch.Device;
import org.plugtorch.DeviceEvent;
import org.plugtorch.Tensor;
import org.plugtorch.registry.Backends;

/** The same bundles in Eclipse Equinox: they carry nothing Felix-specific. */
class EquinoxIT {
    private static final String EQUINOX = "org.eclipse.osgi.launch.EquinoxFactory";
    private OsgiHost host;

    @AfterEach
    void stop() {
        if (host != null) {
            host.close();
        }
    }

    @Test
    void theBundlesResolveAndTheSeedDemoRunsInEquinox() throws Exception {
        host = FrameworkITSupport.start(EQUINOX, Map.of());
        BundleContext ctx = host.context();
        assertEquals("org.eclipse.osgi", ctx.getBundle(0).getSymbolicName());
        for (Bundle b : ctx.getBundles()) {
            if (!OsgiHost.GOGO_SHELL.equals(b.getSymbolicName())) {
                assertEquals(Bundle.ACTIVE, b.getState(), b.getSymbolicName() + " is active in Equinox");
            }
        }
        assertTrue(Backends.devices().contains(Device.CPU));
        // the tests' JVM has jdk.incubator.vector (test.jvm.flags): Equinox wires the bundle's optional import too
        List<String> table = DeviceTable.lines(ctx);
        assertTrue(
                table.stream().anyMatch(l -> l.startsWith("cpu ") && l.contains("gemm: Vector API (")),
                table.toString());
        String out = FrameworkITSupport.capture(ps -> new SeedDemo(ps).run(Device.CPU, 0));
        assertTrue(out.contains("tensor([ 0.4033,  0.8380, -0.7193], requires_grad=True)"), out);
        assertTrue(
                out.contains(
                        "| plain tensor field                | no              | no                         | no              | no                |"),
                out);
    }

    @Test
    void aBackendBundleComesAndGoesInEquinoxWithNothingLost() throws Exception {
        host = FrameworkITSupport.start(EQUINOX, Map.of());
        try (FrameworkITSupport.Events events = new FrameworkITSupport.Events()) {
            Bundle fake = FrameworkITSupport.installFake(host.context(), "1.0.0");
            events.next(DeviceEvent.Kind.ADDED, FAKE);
            Tensor t = Tensor.of(1f, 2f).to(FAKE);
            String out = FrameworkITSupport.capture(ps -> new SeedDemo(ps).run(FAKE, 0));
            assertTrue(
                    out.contains(
                            "error: Expected all tensors to be on the same device, but found at least two devices, fake:0 and cpu!"),
                    out);
            fake.stop();
            DeviceEvent removed = events.next(DeviceEvent.Kind.REMOVED, FAKE);
            assertTrue(removed.reason().startsWith("bundle fake-backend-bundle 1.0.0 "), removed.reason());
            assertEquals(Device.CPU, t.device());
            assertArrayEquals(new float[] {1, 2}, t.toFloatArray());
        }
    }
}
