package org.plugtorch.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarFile;
import java.util.jar.Manifest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.FrameworkEvent;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.launch.Framework;
import org.osgi.framework.launch.FrameworkFactory;
import org.osgi.framework.wiring.FrameworkWiring;
import org.osgi.util.tracker.ServiceTracker;
import org.plugtorch.spi.Backend;

/**
 * The built bundle: its manifest (one Bundle-NativeCode clause naming the natives it carries, imports of nothing but
 * Java and the API, a Declarative Services component), and the bundle itself in Felix with SCR, where it must register
 * its {@link Backend} service (unavailable, with the reason, on a machine without a driver) and come back after bundle
 * updates, each revision loading its own copy of JCuda's natives.
 */
class CudaBundleIT {
    private static final String NATIVE_CODE = "lib/libJCudaDriver-12.6.0-linux-x86_64.so;"
            + "lib/libJCudaRuntime-12.6.0-linux-x86_64.so;osname=Linux;processor=x86-64,*";

    private static Path bundle() {
        String jar = System.getProperty("cuda.bundle.jar");
        assertNotNull(jar, "failsafe sets cuda.bundle.jar");
        return Path.of(jar);
    }

    @Test
    void manifestDeclaresItsNativesInOneClauseAndImportsOnlyJavaAndTheApi() throws IOException {
        try (JarFile jar = new JarFile(bundle().toFile())) {
            Manifest m = jar.getManifest();
            assertEquals(
                    NATIVE_CODE,
                    m.getMainAttributes().getValue("Bundle-NativeCode"),
                    "one clause, so the framework loads both libraries; '*' keeps other platforms resolvable");
            for (String lib : new String[] {
                "lib/libJCudaDriver-12.6.0-linux-x86_64.so", "lib/libJCudaRuntime-12.6.0-linux-x86_64.so"
            }) {
                assertNotNull(jar.getEntry(lib), lib + " is in the bundle");
            }
            assertNull(jar.getEntry("lib/libJNvPTXCompiler-12.6.0-linux-x86_64.so"), "the PTX compiler stays out");
            for (String pkg : packages(m.getMainAttributes().getValue("Import-Package"))) {
                assertTrue(
                        pkg.startsWith("java.")
                                || pkg.equals("org.plugtorch")
                                || pkg.equals("org.plugtorch.spi")
                                || pkg.equals("org.plugtorch.osgi")
                                || pkg.equals("org.osgi.framework"),
                        "imports " + pkg);
            }
            assertNull(m.getMainAttributes().getValue("Export-Package"), "the implementation stays private");
            assertEquals(
                    "OSGI-INF/org.plugtorch.cuda.CudaBackend.xml",
                    m.getMainAttributes().getValue("Service-Component"));
            String component = read(jar, "OSGI-INF/org.plugtorch.cuda.CudaBackend.xml");
            assertTrue(component.contains("immediate=\"true\""), component);
            // the component registers its service itself, with properties known only after start-up
            assertTrue(
                    component.contains("activate=\"activate\"") && component.contains("deactivate=\"deactivate\""),
                    component);
            assertEquals(
                    "org.plugtorch.cuda.CudaBackend",
                    read(jar, "META-INF/services/org.plugtorch.spi.Backend").strip());
            assertNotNull(jar.getEntry("jcuda/driver/JCudaDriver.class"), "JCuda's classes are inlined");
            for (KernelModule k : KernelModule.values()) {
                assertNotNull(jar.getEntry(k.resource().substring(1)), k.resource());
            }
        }
    }

    private static List<String> packages(String header) {
        List<String> out = new ArrayList<>();
        boolean quoted = false;
        StringBuilder clause = new StringBuilder();
        for (char c : (header + ",").toCharArray()) {
            if (c == '"') {
                quoted = !quoted;
            }
            if (c == ',' && !quoted) {
                out.add(clause.toString().split(";")[0].strip());
                clause.setLength(0);
            } else {
                clause.append(c);
            }
        }
        return out;
    }

    private static String read(JarFile jar, String entry) throws IOException {
        try (InputStream in = jar.getInputStream(jar.getEntry(entry))) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void registersInFelixAndComesBackAfterUpdates(@TempDir Path storage) throws Exception {
        Map<String, String> config = new HashMap<>();
        config.put(Constants.FRAMEWORK_STORAGE, storage.toString());
        config.put(Constants.FRAMEWORK_STORAGE_CLEAN, Constants.FRAMEWORK_STORAGE_CLEAN_ONFIRSTINIT);
        // the API comes from this test's class path, so the service can be used here without reflection
        config.put(
                Constants.FRAMEWORK_SYSTEMPACKAGES_EXTRA,
                "org.plugtorch;version=0.1.0,org.plugtorch.spi;version=0.2.0,org.plugtorch.nn;version=0.1.0,"
                        + "org.plugtorch.osgi;version=0.1.0");
        Framework felix =
                ServiceLoader.load(FrameworkFactory.class).iterator().next().newFramework(config);
        felix.start();
        try {
            BundleContext ctx = felix.getBundleContext();
            for (String name : new String[] {
                "org.osgi.util.function", "org.osgi.util.promise", "org.osgi.service.component", "org.apache.felix.scr"
            }) {
                ctx.installBundle(classPathJar(name).toUri().toString()).start();
            }
            ServiceTracker<Backend, Backend> tracker = new ServiceTracker<>(ctx, Backend.class, null);
            tracker.open();
            Bundle cuda = ctx.installBundle("plugtorch:cuda-backend-bundle", Files.newInputStream(bundle()));
            cuda.start();
            Backend first = awaitService(tracker, null);
            String reason = first.unavailableReason();
            String expected = new CudaBackend().unavailableReason(); // the same machine, outside OSGi
            assertEquals(expected == null, reason == null, "inside OSGi as outside: " + reason + " / " + expected);
            if (reason != null) {
                assertFalse(
                        reason.contains("LinkageError") || reason.contains("already loaded"),
                        "the natives loaded through Bundle-NativeCode: " + reason);
            }
            ServiceReference<Backend> ref = tracker.getServiceReference();
            assertEquals("cuda", ref.getProperty("plugtorch.device.type"));
            assertEquals(reason == null, ref.getProperty("plugtorch.available"));
            assertEquals(reason, ref.getProperty("plugtorch.unavailable.reason"));

            Backend previous = first;
            for (int update = 0; update < 2; update++) {
                cuda.update(Files.newInputStream(bundle()));
                refresh(ctx);
                Backend next = awaitService(tracker, previous);
                assertNotSame(previous, next, "a new revision registers a new backend");
                assertEquals(reason, next.unavailableReason(), "update " + (update + 1) + " loads its own natives");
                previous = next;
            }
            cuda.uninstall();
            refresh(ctx);
            assertNull(tracker.getService(), "uninstalled, the service is gone");
            tracker.close();
        } finally {
            felix.stop();
            felix.waitForStop(30_000);
        }
    }

    private static Backend awaitService(ServiceTracker<Backend, Backend> tracker, Backend other)
            throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            Backend b = tracker.waitForService(1000);
            if (b != null && b != other) {
                return b;
            }
        }
        throw new AssertionError("no new cuda backend service within 30 s");
    }

    private static void refresh(BundleContext ctx) throws InterruptedException {
        CountDownLatch done = new CountDownLatch(1);
        ctx.getBundle(0).adapt(FrameworkWiring.class).refreshBundles(null, e -> {
            if (e.getType() == FrameworkEvent.PACKAGES_REFRESHED) {
                done.countDown();
            }
        });
        assertTrue(done.await(30, TimeUnit.SECONDS), "the framework refreshed its wiring");
    }

    /** A bundle jar on this test's class path, by artifact name. */
    private static Path classPathJar(String artifact) {
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            String file = Path.of(entry).getFileName().toString();
            if (file.startsWith(artifact + "-") && file.endsWith(".jar")) {
                return Path.of(entry);
            }
        }
        throw new AssertionError(artifact + " is not on the test class path");
    }
}
