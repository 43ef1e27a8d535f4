package org.plugtorch.launcher;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.ref.WeakReference;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;
import org.plugtorch.Device;
import org.plugtorch.Tensor;
import org.plugtorch.osgi.BackendServices;
import org.plugtorch.registry.Backends;
import org.plugtorch.spi.Backend;

/**
 * Issue 12, item 9: every revision of the OpenCL backend bundle stayed in memory for good (about 600 classes, 2.6 MB
 * of metaspace and 9 MB of process memory per update, and a copy of Aparapi's native library), because
 * aparapi-jni never deleted a JNI global reference to the device object (see {@code DeviceObjectRelease}). After
 * updates that each compile and run kernels, every old revision's class loader must be collected, and the classes
 * and metaspace left behind must not grow with the number of updates (bounds far above noise, far below a leak).
 */
class OpenClRevisionLeakIT {
    private static final Device OCL = Device.parse("opencl:0");
    private static final int UPDATES = 8;

    private OsgiHost host;

    @AfterEach
    void stop() {
        if (host != null) {
            host.close();
        }
    }

    @Test
    void updatesOfTheOpenClBundleLetEveryOldRevisionGo() throws Exception {
        host = FrameworkITSupport.start(null, Map.of());
        BundleContext ctx = host.context();
        Collection<ServiceReference<Backend>> refs =
                ctx.getServiceReferences(Backend.class, "(plugtorch.device.type=opencl)");
        Assumptions.assumeTrue(
                !refs.isEmpty() && Boolean.TRUE.equals(refs.iterator().next().getProperty(BackendServices.AVAILABLE)),
                "no OpenCL platform here");
        Bundle bundle = refs.iterator().next().getBundle();

        // the first update loads what every later one shares (JIT, caches) and lets the installed revision go
        List<WeakReference<ClassLoader>> old = new ArrayList<>();
        old.add(new WeakReference<>(Backends.forDevice(OCL).getClass().getClassLoader()));
        update(ctx, bundle);
        awaitCollected(old);
        long classes0 = ManagementFactory.getClassLoadingMXBean().getLoadedClassCount();
        long metaspace0 = metaspace();
        long rss0 = rssKb();
        for (int i = 0; i < UPDATES; i++) {
            old.add(new WeakReference<>(Backends.forDevice(OCL).getClass().getClassLoader()));
            update(ctx, bundle);
        }
        awaitCollected(old);
        long classes = ManagementFactory.getClassLoadingMXBean().getLoadedClassCount() - classes0;
        long metaspace = metaspace() - metaspace0;
        long rss = rssKb() - rss0;
        System.out.printf(
                "opencl revision leak: %d updates, per update %+.1f classes, %+.0f kB metaspace, %+.0f kB rss%n",
                UPDATES, classes / (double) UPDATES, metaspace / 1024.0 / UPDATES, rss / (double) UPDATES);
        // a revision held is about 600 classes and 2.6 MB of metaspace
        assertTrue(classes < 60L * UPDATES, "classes grew by " + classes + " over " + UPDATES + " updates");
        assertTrue(
                metaspace < 400L * 1024 * UPDATES,
                "metaspace grew by " + metaspace + " bytes over " + UPDATES + " updates");
    }

    /** Updates the bundle, refreshes, and runs a kernel on the new revision. */
    private static void update(BundleContext ctx, Bundle bundle) throws Exception {
        bundle.update();
        FrameworkITSupport.refresh(ctx);
        assertTrue(Backends.devices().contains(OCL), "the updated revision serves opencl:0");
        Tensor t = Tensor.of(1f, 2f, 3f).to(OCL);
        assertArrayEquals(new float[] {2, 4, 6}, t.add(t).toFloatArray());
    }

    /**
     * Collects until every class loader is gone; waits up to 90 s, since JNA's cleaner thread (the bundle's own copy)
     * lingers 30 s after the last native library is closed.
     */
    private static void awaitCollected(List<WeakReference<ClassLoader>> loaders) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        while (loaders.stream().anyMatch(r -> r.get() != null) && System.nanoTime() < deadline) {
            System.gc();
            Thread.sleep(200);
        }
        long alive = loaders.stream().filter(r -> r.get() != null).count();
        assertEquals(0, alive, alive + " of " + loaders.size() + " old revisions' class loaders are still reachable");
    }

    private static long metaspace() {
        for (MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans()) {
            if (p.getName().equals("Metaspace")) {
                return p.getUsage().getUsed();
            }
        }
        return 0;
    }

    private static long rssKb() throws Exception {
        for (String l : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (l.startsWith("VmRSS:")) {
                return Long.parseLong(l.replaceAll("[^0-9]", ""));
            }
        }
        return 0;
    }
}
