package org.plugtorch.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.launch.Framework;
import org.osgi.framework.launch.FrameworkFactory;

/**
 * A deployment in which the API is an ordinary bundle (as in Karaf or Eclipse), not the launcher's class path: its
 * own Declarative Services component tracks the backend services and feeds its registry. The test cannot share the
 * bundle's classes, so it talks to them through reflection.
 */
class PureOsgiIT {

    @Test
    void theApiBundlesOwnTrackerFeedsItsRegistry(@TempDir Path storage) throws Exception {
        Path home = FrameworkITSupport.home();
        FrameworkFactory factory =
                ServiceLoader.load(FrameworkFactory.class).iterator().next();
        Framework framework = factory.newFramework(Map.of(
                Constants.FRAMEWORK_STORAGE,
                storage.toString(),
                Constants.FRAMEWORK_STORAGE_CLEAN,
                Constants.FRAMEWORK_STORAGE_CLEAN_ONFIRSTINIT));
        framework.start();
        try {
            BundleContext ctx = framework.getBundleContext();
            List<Bundle> bundles = new ArrayList<>();
            bundles.add(
                    ctx.installBundle(home.resolve("lib/api-bundle.jar").toUri().toString()));
            for (String name : List.of(
                    "org.osgi.util.function",
                    "org.osgi.util.promise",
                    "org.osgi.service.component",
                    "org.apache.felix.scr",
                    "cpu-backend-bundle")) {
                Path jar = home.resolve("bundle/" + name + ".jar");
                assertTrue(Files.isRegularFile(jar), jar.toString());
                bundles.add(ctx.installBundle(jar.toUri().toString()));
            }
            for (Bundle b : bundles) {
                b.start();
            }
            Bundle api = bundles.get(0);
            Class<?> backends = api.loadClass("org.plugtorch.registry.Backends");
            assertTrue(backends.getClassLoader() != getClass().getClassLoader(), "the API comes from its bundle");
            List<?> devices = (List<?>) backends.getMethod("devices").invoke(null);
            assertEquals("[cpu]", devices.toString());

            bundles.get(bundles.size() - 1).stop();
            assertEquals("[]", backends.getMethod("devices").invoke(null).toString());
        } finally {
            framework.stop();
            framework.waitForStop(30_000);
        }
    }
}
