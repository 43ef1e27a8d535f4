package org.plugtorch.launcher;

import static org.plugtorch.spi.Preconditions.checkArgument;

import java.io.InputStream;
import java.io.PrintStream;
import java.net.URL;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.ReentrantLock;
import java.util.stream.Collectors;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceReference;
import org.plugtorch.Device;
import org.plugtorch.DeviceEvent;
import org.plugtorch.DeviceListener;
import org.plugtorch.Generator;
import org.plugtorch.Tensor;
import org.plugtorch.nn.Linear;
import org.plugtorch.nn.ReLU;
import org.plugtorch.nn.Sequential;
import org.plugtorch.registry.Backends;
import org.plugtorch.spi.Backend;

/**
 * The point of pluggable backends, live: a model runs forward passes in a loop on a device while the device's backend
 * bundle is uninstalled and installed again. Its tensors are evacuated to the CPU and the loop goes on there; when the
 * backend is back the model moves back; and every output along the way equals the one computed on the CPU first.
 */
final class HotplugDemo {
    private final BundleContext context;
    private final PrintStream out;

    HotplugDemo(BundleContext context, PrintStream out) {
        this.context = context;
        this.out = out;
    }

    /** Returns the number of forward passes whose output differed from the CPU's (0 when the demo makes its point). */
    int run(Device device, int cycles) throws Exception {
        checkArgument(
                !device.isCpu(),
                () -> "the hot-plug demo needs a device other than cpu; devices now: " + Backends.devices());
        Generator.seedDefault(0);
        Sequential model = new Sequential(new Linear(8, 16), new ReLU(), new Linear(16, 4));
        Tensor x = Tensor.randn(5, 8);
        Tensor expected = model.forward(x);
        Map<Tensor, String> names = new IdentityHashMap<>();
        model.to(device);
        Tensor input = x.to(device);
        model.namedParameters().forEach((k, v) -> names.put(v, k));
        names.put(input, "input");
        out.println("model " + model.toString().replace("\n", " ") + " on " + device);

        DeviceListener listener = e -> out.println(describe(e, names));
        Backends.addListener(listener);
        ReentrantLock modelLock = new ReentrantLock();
        ForwardLoop loop = new ForwardLoop(model, input, expected, modelLock);
        Thread thread = new Thread(loop, "forward-passes");
        thread.start();
        try {
            loop.awaitPasses(20);
            for (int cycle = 1; cycle <= cycles; cycle++) {
                Bundle bundle = bundleServing(device);
                String location = bundle.getLocation();
                out.println("-- cycle " + cycle + ": uninstalling " + bundle.getSymbolicName() + " "
                        + bundle.getVersion() + " while forward passes run");
                bundle.uninstall();
                out.println("model.parameters() now on " + devices(model) + "; input on " + input.device());
                loop.awaitPasses(20);
                out.println("-- installing " + bundle.getSymbolicName() + " again from " + location);
                reinstall(location);
                modelLock.lock();
                try {
                    model.to(device);
                    input.setData(input.to(device));
                } finally {
                    modelLock.unlock();
                }
                out.println("model moved back: parameters on " + devices(model));
                loop.awaitPasses(20);
            }
        } finally {
            loop.stop();
            thread.join(30_000);
            Backends.removeListener(listener);
        }
        out.println(String.format(
                "%d forward passes (%d on %s, %d on cpu); outputs different from the CPU's: %d",
                loop.passes(), loop.passesOn(device), device, loop.passesOn(Device.CPU), loop.mismatches()));
        if (loop.failure() != null) {
            throw new IllegalStateException("a forward pass failed: " + loop.failure(), loop.failure());
        }
        return loop.mismatches();
    }

    private static String devices(Sequential model) {
        return model.parameters().stream()
                .map(p -> p.device().toString())
                .distinct()
                .collect(Collectors.joining(", "));
    }

    private static String describe(DeviceEvent e, Map<Tensor, String> names) {
        if (e.kind() == DeviceEvent.Kind.ADDED) {
            return "   event: " + e.devices() + " added (" + e.backend() + ")";
        }
        String moved = e.moved().stream()
                .map(m -> names.get(m.tensor()))
                .filter(n -> n != null)
                .sorted()
                .collect(Collectors.joining(", "));
        return "   event: " + e.devices() + " removed (" + e.reason() + "): "
                + e.moved().size() + " tensors, " + e.bytesMoved() + " bytes evacuated to cpu, among them " + moved;
    }

    private Bundle bundleServing(Device device) throws InvalidSyntaxException {
        Backend backend = Backends.forDevice(device);
        for (ServiceReference<Backend> ref : context.getServiceReferences(Backend.class, null)) {
            Backend service = context.getService(ref);
            context.ungetService(ref);
            if (service == backend && ref.getBundle() != null) {
                return ref.getBundle();
            }
        }
        throw new IllegalStateException(
                "no bundle provides the backend of " + device + " (was it put on the class path?)");
    }

    private void reinstall(String location) throws Exception {
        Bundle b;
        try (InputStream in = new URL(location).openStream()) {
            b = context.installBundle(location, in);
        }
        b.start();
    }

    /** Forward passes in a loop, each checked against the CPU's output. */
    private static final class ForwardLoop implements Runnable {
        private final Sequential model;
        private final Tensor input;
        private final Tensor expected;
        private final ReentrantLock modelLock;
        private final AtomicBoolean stop = new AtomicBoolean();
        private final AtomicReference<Throwable> failure = new AtomicReference<>();
        private final Map<Device, Integer> byDevice = new java.util.concurrent.ConcurrentHashMap<>();
        private volatile int passes;
        private volatile int mismatches;

        ForwardLoop(Sequential model, Tensor input, Tensor expected, ReentrantLock modelLock) {
            this.model = model;
            this.input = input;
            this.expected = expected;
            this.modelLock = modelLock;
        }

        @Override
        public void run() {
            try {
                while (!stop.get()) {
                    Tensor y;
                    modelLock.lock();
                    try {
                        y = model.forward(input);
                    } finally {
                        modelLock.unlock();
                    }
                    byDevice.merge(y.device(), 1, Integer::sum);
                    if (!y.cpu().allclose(expected, 1e-5, 1e-5)) {
                        mismatches++;
                    }
                    passes++;
                }
            } catch (Throwable t) {
                failure.set(t);
            }
        }

        void awaitPasses(int more) throws InterruptedException {
            int target = passes + more;
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (passes < target && failure.get() == null && System.nanoTime() < deadline) {
                Thread.sleep(2);
            }
            if (failure.get() != null) {
                throw new IllegalStateException("a forward pass failed: " + failure.get(), failure.get());
            }
        }

        void stop() {
            stop.set(true);
        }

        int passes() {
            return passes;
        }

        int passesOn(Device d) {
            return byDevice.getOrDefault(d, 0);
        }

        int mismatches() {
            return mismatches;
        }

        Throwable failure() {
            return failure.get();
        }
    }
}
