package org.plugtorch.launcher.bench;

import java.io.InputStream;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.FrameworkEvent;
import org.osgi.framework.wiring.FrameworkWiring;
import org.plugtorch.Device;
import org.plugtorch.DeviceEvent;
import org.plugtorch.DeviceListener;
import org.plugtorch.Tensor;
import org.plugtorch.launcher.BenchHost;
import org.plugtorch.registry.Backends;

/**
 * Hot swap, timed in the launcher's own embedded Felix on the built distribution: how long a backend bundle takes from
 * install to usable (install and start the bundle until the first tensor op on its device succeeds; for OpenCL that
 * includes compiling its program, from PoCL's cache after the first time), and how long the registry takes to
 * evacuate about 1 GB of float32 tensors from opencl:0 to the host when the bundle is stopped, against
 * {@link System#arraycopy} of the same bytes in the same process.
 *
 * <p>Not a JMH benchmark: each sample changes the framework's state (a bundle goes and comes back), so each is timed
 * once, several times over. Prints one JSON object; the times are milliseconds, one entry per repeat.
 *
 * <pre>
 * mvn -B -pl launcher -am package -DskipTests     # builds launcher/target/plugtorch and the test classes
 * java -Xms6g -Xmx6g -XX:+AlwaysPreTouch --enable-native-access=ALL-UNNAMED \
 *   -cp "launcher/target/test-classes:launcher/target/plugtorch/lib/*" \
 *   org.plugtorch.launcher.bench.HotSwapBenchmark launcher/target/plugtorch 3
 * </pre>
 */
public final class HotSwapBenchmark {
    /** 60 tensors of 16 MiB: 1.007 GB, which fits the 1 GiB float32 arena the device grows to. */
    static final int PIECES = 60;

    static final int PIECE = 1 << 22;
    static final Device OPENCL = Device.parse("opencl:0");
    private static final long TIMEOUT_NANOS = TimeUnit.SECONDS.toNanos(120);

    private HotSwapBenchmark() {}

    public static void main(String[] args) throws Exception {
        Path home = Path.of(args.length > 0 ? args[0] : "launcher/target/plugtorch");
        int repeats = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        Path openclJar = home.resolve("bundle/opencl-backend-bundle.jar");
        Path cpuJar = home.resolve("bundle/cpu-backend-bundle.jar");
        List<Double> install = new ArrayList<>();
        List<Double> cpuInstall = new ArrayList<>();
        List<Double> evacuate = new ArrayList<>();
        List<Double> stop = new ArrayList<>();
        List<Double> gc = new ArrayList<>();
        List<Double> arraycopy = new ArrayList<>();
        double bytes = 4.0 * PIECE * PIECES;
        try (BenchHost host = BenchHost.start(home)) {
            BundleContext ctx = host.context();
            usable(OPENCL); // the distribution's own start, not timed
            for (int r = 0; r < repeats; r++) {
                Bundle opencl = bundle(ctx, "opencl-backend-bundle");
                double[] times = evacuation(opencl);
                evacuate.add(times[0]);
                stop.add(times[1]);
                gc.add(times[2]);
                arraycopy.add(arraycopy());
                opencl.uninstall();
                refresh(ctx);
                install.add(installToUsable(ctx, openclJar, OPENCL));

                Bundle cpu = bundle(ctx, "cpu-backend-bundle");
                cpu.uninstall();
                refresh(ctx);
                cpuInstall.add(installToUsable(ctx, cpuJar, Device.CPU));
                System.err.printf(
                        Locale.ROOT,
                        "repeat %d: opencl install-to-usable %.0f ms, cpu %.0f ms, evacuate "
                                + "%.0f ms (%.2f GB/s, collector %.0f ms), arraycopy %.0f ms (%.2f GB/s)%n",
                        r,
                        last(install),
                        last(cpuInstall),
                        last(evacuate),
                        bytes / last(evacuate) / 1e6,
                        last(gc),
                        last(arraycopy),
                        bytes / last(arraycopy) / 1e6);
            }
        }
        System.out.println("{\"bytes\":" + (long) bytes + ",\"installToUsableMs\":" + json(install)
                + ",\"cpuInstallToUsableMs\":" + json(cpuInstall) + ",\"evacuate1GBMs\":" + json(evacuate)
                + ",\"evacuateGcMs\":" + json(gc) + ",\"stopBundleMs\":" + json(stop) + ",\"arraycopy1GBMs\":"
                + json(arraycopy) + "}");
    }

    /**
     * Fills opencl:0 with the tensors, then stops its bundle: the time until the registry reports the device removed
     * (every tensor is on the host by then), and the time until {@code stop} returns (the backend has also released
     * its OpenCL contexts).
     */
    private static double[] evacuation(Bundle opencl) throws Exception {
        List<Tensor> tensors = new ArrayList<>(PIECES);
        float[] values = new float[PIECE];
        for (int i = 0; i < PIECE; i++) {
            values[i] = i % 1000 * 0.5f;
        }
        for (int p = 0; p < PIECES; p++) {
            tensors.add(Tensor.fromArray(values, PIECE).to(OPENCL));
        }
        System.gc();
        AtomicLong removed = new AtomicLong();
        DeviceListener listener = (DeviceEvent e) -> {
            if (e.kind() == DeviceEvent.Kind.REMOVED && e.devices().contains(OPENCL)) {
                removed.set(System.nanoTime());
            }
        };
        Backends.addListener(listener);
        long gcBefore = gcMillis();
        long start = System.nanoTime();
        try {
            opencl.stop();
        } finally {
            Backends.removeListener(listener);
        }
        long stopped = System.nanoTime();
        long gcDuring = gcMillis() - gcBefore;
        if (removed.get() == 0) {
            throw new IllegalStateException("stopping the opencl bundle did not remove " + OPENCL);
        }
        for (Tensor t : tensors) {
            if (!t.device().isCpu()) {
                throw new IllegalStateException("stopping the bundle left " + t + " on " + t.device());
            }
        }
        Tensor last = tensors.get(PIECES - 1);
        if (last.get(PIECE - 1).item() != values[PIECE - 1]) {
            throw new IllegalStateException("an evacuated tensor lost its values");
        }
        return new double[] {(removed.get() - start) / 1e6, (stopped - start) / 1e6, gcDuring};
    }

    private static double arraycopy() {
        float[][] from = new float[PIECES][PIECE];
        float[][] to = new float[PIECES][PIECE]; // allocated (so zeroed and paged in) before the clock starts
        System.gc();
        return time(() -> {
            for (int p = 0; p < PIECES; p++) {
                System.arraycopy(from[p], 0, to[p], 0, PIECE);
            }
        });
    }

    /** Installs and starts the bundle at {@code jar}, and times that until an op on {@code device} succeeds. */
    private static double installToUsable(BundleContext ctx, Path jar, Device device) throws Exception {
        System.gc();
        long start = System.nanoTime();
        Bundle b;
        try (InputStream in = Files.newInputStream(jar)) {
            b = ctx.installBundle(jar.toUri().toString(), in);
        }
        b.start();
        usable(device);
        return (System.nanoTime() - start) / 1e6;
    }

    /** Waits until an add on {@code device} gives the right answer; a backend activates asynchronously (SCR). */
    private static void usable(Device device) throws InterruptedException {
        long deadline = System.nanoTime() + TIMEOUT_NANOS;
        RuntimeException last = null;
        while (System.nanoTime() < deadline) {
            try {
                Tensor x = Tensor.of(1f, 2f, 3f).to(device);
                if (x.add(x).cpu().allclose(Tensor.of(2f, 4f, 6f), 0, 0)) {
                    return;
                }
                throw new IllegalStateException(device + " computed a wrong sum");
            } catch (IllegalStateException e) {
                if (e.getMessage() == null || !e.getMessage().contains("not available")) {
                    throw e;
                }
                last = e;
                Thread.sleep(1);
            }
        }
        throw new IllegalStateException(device + " did not become usable within 120 s", last);
    }

    private static Bundle bundle(BundleContext ctx, String symbolicName) {
        for (Bundle b : ctx.getBundles()) {
            if (symbolicName.equals(b.getSymbolicName())) {
                return b;
            }
        }
        throw new IllegalStateException("no bundle " + symbolicName + " is installed");
    }

    private static void refresh(BundleContext ctx) throws InterruptedException {
        CountDownLatch done = new CountDownLatch(1);
        ctx.getBundle(0).adapt(FrameworkWiring.class).refreshBundles(null, e -> {
            if (e.getType() == FrameworkEvent.PACKAGES_REFRESHED) {
                done.countDown();
            }
        });
        if (!done.await(60, TimeUnit.SECONDS)) {
            throw new IllegalStateException("the framework did not refresh its wiring within 60 s");
        }
    }

    /** Milliseconds the collectors have spent since the JVM started (pauses and concurrent work, as they count it). */
    private static long gcMillis() {
        long ms = 0;
        for (GarbageCollectorMXBean b : ManagementFactory.getGarbageCollectorMXBeans()) {
            ms += Math.max(0, b.getCollectionTime());
        }
        return ms;
    }

    private static double time(Runnable r) {
        long start = System.nanoTime();
        r.run();
        return (System.nanoTime() - start) / 1e6;
    }

    private static double last(List<Double> l) {
        return l.get(l.size() - 1);
    }

    private static String json(List<Double> values) {
        return values.stream()
                .map(v -> String.format(Locale.ROOT, "%.1f", v))
                .collect(Collectors.joining(",", "[", "]"));
    }
}
