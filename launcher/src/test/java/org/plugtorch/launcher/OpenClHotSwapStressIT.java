package org.plugtorch.launcher;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.net.URL;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;
import org.plugtorch.Device;
import org.plugtorch.Generator;
import org.plugtorch.Tensor;
import org.plugtorch.nn.Linear;
import org.plugtorch.nn.ReLU;
import org.plugtorch.nn.Sequential;
import org.plugtorch.optim.SGD;
import org.plugtorch.osgi.BackendServices;
import org.plugtorch.registry.Backends;
import org.plugtorch.spi.Backend;
import org.plugtorch.tck.CpuBurner;

/**
 * Issue 12, item 1: the OpenCL backend bundle is stopped and started, updated, and uninstalled and installed again,
 * cycle after cycle, while six threads train models on opencl:0 and every core is kept busy ({@link CpuBurner}).
 * Each start compiles the device program with PoCL, whose in-process LLVM installs signal handlers over the JVM's
 * unless the process is protected (libjsig preloaded, as the launcher and the test JVMs do, or the backend's own
 * guard, {@code SignalGuard}); unprotected, the JVM died with SIGSEGV within a few cycles or the device's build
 * failed ("unable to rename temporary") and opencl:0 never came back.
 *
 * <p>Every training step is checked bit for bit against the same step on the CPU backend: the data are small
 * integers, so every op is exact on both backends whatever its order of summation, and bit-identity is a fair
 * demand; a parameter lost or left behind in an evacuation, or a step that ran twice or not at all, would show as a
 * different bit. The cycle count is {@code -Dplugtorch.stress.cycles} (default 24). Failsafe runs it twice: with
 * libjsig preloaded, as {@code bin/plugtorch} runs the JVM, and without ({@code felix-unchained}), as an embedder's JVM
 * may run, where the backend's own guard is what protects the JVM.
 */
class OpenClHotSwapStressIT {
    private static final Device OCL = Device.parse("opencl:0");
    private static final int THREADS = 6;
    private static final int IN = 16;
    private static final int OUT = 8;
    private static final int BATCH = 4;

    private OsgiHost host;

    @AfterEach
    void stop() {
        if (host != null) {
            host.close();
        }
    }

    @Test
    void sixThreadsTrainOnOpenClWhileItsBundleIsStoppedUpdatedAndReinstalledOnABusyMachine() throws Exception {
        host = FrameworkITSupport.start(null, Map.of());
        BundleContext ctx = host.context();
        ServiceReference<Backend> ref = openClService(ctx);
        Assumptions.assumeTrue(
                ref != null && Boolean.TRUE.equals(ref.getProperty(BackendServices.AVAILABLE)),
                () -> "no OpenCL platform here: "
                        + (ref == null ? "no service" : ref.getProperty(BackendServices.UNAVAILABLE_REASON)));
        Bundle bundle = ref.getBundle();
        String location = bundle.getLocation();
        int cycles = Integer.getInteger("plugtorch.stress.cycles", 24);
        String signals = Backends.forDevice(OCL).devices().get(0).properties().get("signals");
        System.out.println("hot-swap stress: " + cycles + " cycles; the JVM's signal handlers: " + signals);
        String libjsig = System.getProperty("plugtorch.test.libjsig");
        if (libjsig != null) { // the failsafe execution says how the JVM runs: make sure it does
            assertEquals(Boolean.parseBoolean(libjsig), signals.startsWith("signal chaining (libjsig)"), signals);
        }

        List<Trainer> trainers = new ArrayList<>();
        for (int k = 0; k < THREADS; k++) {
            trainers.add(new Trainer(k));
        }
        List<Throwable> failures = new CopyOnWriteArrayList<>();
        AtomicBoolean stop = new AtomicBoolean();
        List<Thread> threads = new ArrayList<>();
        for (Trainer t : trainers) {
            Thread thread = new Thread(
                    () -> {
                        try {
                            while (!stop.get() && failures.isEmpty()) {
                                t.step();
                            }
                        } catch (Throwable e) {
                            e.printStackTrace();
                            failures.add(new AssertionError("trainer " + t.k + " at step " + t.steps + ": " + e, e));
                        }
                    },
                    "trainer-" + t.k);
            threads.add(thread);
        }
        String log = "";
        try (CpuBurner busy = CpuBurner.start()) {
            threads.forEach(Thread::start);
            awaitStepsOnOpenCl(trainers, 3, failures, "before the first cycle");
            for (int cycle = 1; cycle <= cycles; cycle++) {
                String what;
                switch (cycle % 3) {
                    case 1:
                        what = "stop, start";
                        bundle.stop();
                        bundle.start();
                        break;
                    case 2:
                        what = "update";
                        bundle.update();
                        FrameworkITSupport.refresh(ctx);
                        break;
                    default:
                        what = "uninstall, install";
                        bundle.uninstall();
                        FrameworkITSupport.refresh(ctx);
                        try (InputStream in = new URL(location).openStream()) {
                            bundle = ctx.installBundle(location, in);
                        }
                        bundle.start();
                }
                awaitDevice(ctx, cycle, what);
                awaitStepsOnOpenCl(trainers, 2, failures, "after cycle " + cycle + " (" + what + ")");
                log += cycle + ":" + what + " ";
            }
            assertTrue(busy.rounds() > 0, "the burner ran");
        } finally {
            stop.set(true);
            for (Thread t : threads) {
                t.join(60_000);
            }
        }
        assertEquals(List.of(), failures, log);
        for (Trainer t : trainers) {
            t.checkNothingLost();
            assertTrue(t.stepsOn(Device.CPU) + t.stepsOn(OCL) == t.steps, "trainer " + t.k + " counted every step");
        }
        System.out.println("hot-swap stress: " + cycles + " cycles survived; steps per trainer on opencl:0/cpu: "
                + trainers.stream()
                        .map(t -> t.stepsOn(OCL) + "/" + t.stepsOn(Device.CPU))
                        .reduce((a, b) -> a + " " + b)
                        .orElse(""));
    }

    private static ServiceReference<Backend> openClService(BundleContext ctx) throws Exception {
        Collection<ServiceReference<Backend>> refs =
                ctx.getServiceReferences(Backend.class, "(plugtorch.device.type=opencl)");
        return refs.isEmpty() ? null : refs.iterator().next();
    }

    /** Waits for opencl:0 to be served again, failing at once with the backend's reason if it came back unavailable. */
    private static void awaitDevice(BundleContext ctx, int cycle, String what) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (!Backends.devices().contains(OCL)) {
            ServiceReference<Backend> ref = openClService(ctx);
            if (ref != null && Boolean.FALSE.equals(ref.getProperty(BackendServices.AVAILABLE))) {
                throw new AssertionError("cycle " + cycle + " (" + what + "): opencl:0 did not come back: "
                        + ref.getProperty(BackendServices.UNAVAILABLE_REASON));
            }
            assertTrue(System.nanoTime() < deadline, "cycle " + cycle + " (" + what + "): opencl:0 did not come back");
            Thread.sleep(5);
        }
    }

    private static void awaitStepsOnOpenCl(List<Trainer> trainers, int more, List<Throwable> failures, String when)
            throws InterruptedException {
        long[] target = new long[trainers.size()];
        for (int i = 0; i < target.length; i++) {
            target[i] = trainers.get(i).stepsOn(OCL) + more;
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (true) {
            if (!failures.isEmpty()) {
                throw new AssertionError("a trainer failed " + when + ": " + failures.get(0), failures.get(0));
            }
            boolean all = true;
            for (int i = 0; i < target.length; i++) {
                all &= trainers.get(i).stepsOn(OCL) >= target[i];
            }
            if (all) {
                return;
            }
            assertTrue(System.nanoTime() < deadline, "the trainers stalled " + when);
            Thread.sleep(2);
        }
    }

    /**
     * One thread's training: a Linear(16, 8, no bias) and a ReLU trained by SGD (lr 0.5) on a sum of squared errors,
     * with one-hot inputs and integer targets, on opencl:0 whenever it is served (moving back after an evacuation),
     * and the same steps on a twin model on the CPU, compared bit for bit after each step.
     */
    private static final class Trainer {
        final int k;
        final Sequential model = new Sequential(new Linear(IN, OUT, false), new ReLU());
        final Sequential twin = new Sequential(new Linear(IN, OUT, false), new ReLU());
        final List<? extends Tensor> params;
        final SGD optimizer;
        final SGD twinOptimizer;
        final Generator data;
        volatile long steps;
        private volatile long onOpenCl;
        private volatile long onCpu;

        Trainer(int k) {
            this.k = k;
            Generator g = new Generator(100 + k);
            float[] w = new float[OUT * IN];
            for (int i = 0; i < w.length; i++) {
                w[i] = (float) (g.nextUInt32() % 9) - 4; // integers in [-4, 4]
            }
            Tensor init = Tensor.fromArray(w, OUT, IN);
            model.loadStateDict(Map.of("0.weight", init));
            twin.loadStateDict(Map.of("0.weight", init));
            params = List.copyOf(model.parameters());
            optimizer = new SGD(model.parameters(), 0.5);
            twinOptimizer = new SGD(twin.parameters(), 0.5);
            data = new Generator(200 + k);
        }

        void step() {
            // the batch: BATCH distinct one-hot rows, integer targets in [0, 8]
            float[] x = new float[BATCH * IN];
            float[] t = new float[BATCH * OUT];
            int first = (int) (data.nextUInt32() % IN);
            for (int b = 0; b < BATCH; b++) {
                x[b * IN + (first + b * 3) % IN] = 1;
                for (int o = 0; o < OUT; o++) {
                    t[b * OUT + o] = data.nextUInt32() % 9;
                }
            }
            Tensor input = Tensor.fromArray(x, BATCH, IN);
            Tensor target = Tensor.fromArray(t, BATCH, OUT);

            Device device;
            Tensor x0;
            Tensor t0;
            while (true) {
                device = placeModel();
                try {
                    x0 = input.to(device);
                    t0 = target.to(device);
                } catch (RuntimeException e) {
                    if (Backends.devices().contains(device)) {
                        throw e;
                    }
                    continue; // the device left between the two moves: place the model again
                }
                // from here on an evacuation moves the model and the batch together
                if (model.parameters().get(0).device().equals(device)
                        && x0.device().equals(device)
                        && t0.device().equals(device)) {
                    break;
                }
            }
            double loss = trainStep(model, optimizer, x0, t0);
            double expected = trainStep(twin, twinOptimizer, input, target);
            if (Double.doubleToRawLongBits(loss) != Double.doubleToRawLongBits(expected)) {
                throw new AssertionError("loss " + loss + " on " + device + ", " + expected + " on the CPU");
            }
            float[] w = model.parameters().get(0).toFloatArray();
            float[] ref = twin.parameters().get(0).toFloatArray();
            assertArrayEquals(ref, w, "the weights after the step on " + device + " equal the CPU's bit for bit");
            steps++;
            if (device.equals(OCL)) {
                onOpenCl++;
            } else {
                onCpu++;
            }
        }

        /** Moves the model back to opencl:0 when it is served and the model is not there; returns where it is. */
        private Device placeModel() {
            Device now = model.parameters().get(0).device();
            if (!now.equals(OCL) && Backends.devices().contains(OCL)) {
                try {
                    model.to(OCL);
                } catch (RuntimeException e) {
                    if (Backends.devices().contains(OCL)) {
                        throw e; // the device is there: the move had no reason to fail
                    }
                }
            }
            return model.parameters().get(0).device();
        }

        private static double trainStep(Sequential m, SGD opt, Tensor x, Tensor t) {
            opt.zeroGrad();
            Tensor loss = m.forward(x).sub(t).square().sum();
            loss.backward();
            opt.step();
            return loss.item();
        }

        long stepsOn(Device d) {
            return d.equals(OCL) ? onOpenCl : onCpu;
        }

        void checkNothingLost() {
            List<? extends Tensor> now = model.parameters();
            assertEquals(params.size(), now.size());
            for (int i = 0; i < now.size(); i++) {
                assertSame(params.get(i), now.get(i), "trainer " + k + " keeps its parameter objects");
                assertSame(
                        params.get(i),
                        optimizer.paramGroups().get(0).params().get(i),
                        "trainer " + k + "'s optimizer still holds the model's parameter");
            }
            assertArrayEquals(
                    twin.parameters().get(0).toFloatArray(), now.get(0).toFloatArray());
        }
    }
}
