package org.plugtorch.launcher;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.FrameworkEvent;
import org.osgi.framework.wiring.FrameworkWiring;
import org.plugtorch.Device;
import org.plugtorch.DeviceEvent;
import org.plugtorch.DeviceListener;
import org.plugtorch.registry.Backends;

/** What the framework integration tests share: the distribution, device events as a queue, bundle helpers. */
final class FrameworkITSupport {
    static final Device FAKE = Device.parse("fake:0");

    private FrameworkITSupport() {}

    /** The distribution folder the build assembled ({@code target/plugtorch}). */
    static Path home() {
        String home = System.getProperty("plugtorch.home");
        assertTrue(home != null, "plugtorch.home is set by the failsafe configuration");
        return Path.of(home);
    }

    static OsgiHost start(String factory, Map<String, String> overrides) {
        return OsgiHost.start(home(), factory, false, overrides);
    }

    /** Device events, as they arrive; close it to stop listening. */
    static final class Events implements DeviceListener, AutoCloseable {
        private final BlockingQueue<DeviceEvent> queue = new LinkedBlockingQueue<>();

        Events() {
            Backends.addListener(this);
        }

        @Override
        public void deviceChanged(DeviceEvent event) {
            queue.add(event);
        }

        /** The next event of this kind for this device, waiting at most 30 s (FileInstall polls). */
        DeviceEvent next(DeviceEvent.Kind kind, Device device) throws InterruptedException {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (true) {
                DeviceEvent e = queue.poll(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                if (e == null) {
                    throw new AssertionError("no " + kind + " event for " + device + " within 30 s");
                }
                if (e.kind() == kind && e.devices().contains(device)) {
                    return e;
                }
            }
        }

        @Override
        public void close() {
            Backends.removeListener(this);
        }
    }

    static Bundle installFake(BundleContext ctx, String version) throws Exception {
        Bundle b = ctx.installBundle(
                "test:" + TestBundles.FAKE_BSN, new ByteArrayInputStream(TestBundles.fakeBackend(version)));
        b.start();
        return b;
    }

    /** Refreshes the framework's wiring and waits for it, so that old bundle revisions are let go. */
    static void refresh(BundleContext ctx) throws InterruptedException {
        CountDownLatch done = new CountDownLatch(1);
        ctx.getBundle(0).adapt(FrameworkWiring.class).refreshBundles(null, e -> {
            if (e.getType() == FrameworkEvent.PACKAGES_REFRESHED) {
                done.countDown();
            }
        });
        assertTrue(done.await(30, TimeUnit.SECONDS), "the framework refreshed its wiring");
    }

    /** What {@code run} printed. */
    static String capture(ThrowingConsumer<PrintStream> run) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8)) {
            run.accept(out);
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }

    interface ThrowingConsumer<T> {
        void accept(T t) throws Exception;
    }

    static List<String> lines(String s) {
        return List.of(s.split("\n"));
    }
}
