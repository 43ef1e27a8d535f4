package org.plugtorch;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.plugtorch.nn.Linear;
import org.plugtorch.nn.Module;
import org.plugtorch.nn.Parameter;
import org.plugtorch.nn.ReLU;
import org.plugtorch.nn.Sequential;
import org.plugtorch.registry.Backends;
import org.plugtorch.spi.Backend;
import org.plugtorch.tck.ReferenceBackend;
import org.plugtorch.tck.ReferenceDevices;

/** A backend leaving evacuates every live tensor to the CPU, keeping objects and values; in-flight operations are safe. */
class EvacuationTest {
    private static final Device EV = Device.parse("evac:0");
    private final List<DeviceEvent> events = new CopyOnWriteArrayList<>();
    private final DeviceListener listener = events::add;
    private Backend backend;

    @BeforeAll
    static void devices() {
        ReferenceDevices.install();
    }

    private Backend plugIn() {
        backend = new ReferenceBackend("evac");
        Backends.register(backend);
        return backend;
    }

    @AfterEach
    void unplug() {
        Backends.removeListener(listener);
        if (backend != null) {
            Backends.unregister(backend);
        }
    }

    /** A model with parameters, a gradient, a persistent and a non-persistent buffer, a view and a plain field. */
    static final class Model extends Module {
        final Linear linear = module("linear", new Linear(3, 2));
        final Tensor running = buffer("running", Tensor.of(1f, 2f));
        final Tensor hidden = buffer("hidden", Tensor.of(5L, 6L), false);

        @Override
        public Tensor forward(Tensor x) {
            return linear.forward(x).add(running);
        }
    }

    private static Map<String, float[]> values(Module m) {
        Map<String, float[]> out = new LinkedHashMap<>();
        m.namedParameters().forEach((k, v) -> out.put(k, v.toFloatArray()));
        m.namedBuffers().forEach((k, v) -> out.put(k, v.toFloatArray()));
        return out;
    }

    @Test
    void leavingMovesEveryTensorToTheCpuAndKeepsObjectsAndValues() {
        plugIn();
        Model m = new Model();
        m.linear.weight.setGrad(Tensor.full(new long[] {2, 3}, 0.5));
        m.to(EV);
        Tensor grad = m.linear.weight.grad();
        Tensor view = m.linear.weight.t();
        Map<String, float[]> before = values(m);
        List<Object> objects = new ArrayList<>(m.stateDict("", true).values());
        Backends.addListener(listener);

        Backends.unregister(backend, "test unplug");
        backend = null;

        assertEquals(Device.CPU, m.linear.weight.device());
        assertEquals(Device.CPU, m.linear.bias.device());
        assertEquals(Device.CPU, m.running.device());
        assertEquals(Device.CPU, m.hidden.device());
        assertEquals(Device.CPU, grad.device());
        assertEquals(Device.CPU, view.device());
        assertSame(grad, m.linear.weight.grad());
        assertEquals(objects, new ArrayList<>(m.stateDict("", true).values()));
        Map<String, float[]> after = values(m);
        before.forEach((k, v) -> assertArrayEquals(v, after.get(k), k));
        assertArrayEquals(new float[] {0.5f, 0.5f, 0.5f, 0.5f, 0.5f, 0.5f}, grad.toFloatArray());
        assertArrayEquals(
                m.linear.weight.t().contiguous().toFloatArray(),
                view.contiguous().toFloatArray());
        assertEquals(DType.INT64, m.hidden.dtype());

        assertEquals(1, events.size());
        DeviceEvent e = events.get(0);
        assertEquals(DeviceEvent.Kind.REMOVED, e.kind());
        assertEquals(List.of(EV), e.devices());
        assertEquals("test unplug", e.reason());
        Set<Tensor> moved = Collections.newSetFromMap(new IdentityHashMap<>());
        e.moved().forEach(mv -> {
            assertEquals(EV, mv.from());
            assertEquals(Device.CPU, mv.to());
            moved.add(mv.tensor());
        });
        for (Tensor t : List.of(m.linear.weight, m.linear.bias, m.running, m.hidden, grad, view)) {
            assertTrue(moved.contains(t), "the event names " + t.getClass().getSimpleName() + " " + t);
        }
        // at least the model's storages; unreachable temporaries the GC has not yet cleared may move too
        assertTrue(e.bytesMoved() >= 4 * (6 + 2 + 2 + 6) + 8 * 2, e.bytesMoved() + " bytes");
    }

    @Test
    void aModuleKeepsWorkingOnTheCpuAndMovesBackWhenTheBackendReturns() {
        plugIn();
        Model m = new Model();
        Tensor x = Tensor.randn(4, 3);
        Tensor expected = m.forward(x);
        m.to(EV);
        Tensor xOnDevice = x.to(EV);
        Backends.unregister(backend);
        backend = null;
        assertEquals(Device.CPU, xOnDevice.device());
        assertTrue(expected.allclose(m.forward(xOnDevice), 1e-6, 1e-6));
        String gone = assertThrows(IllegalStateException.class, () -> m.to(EV)).getMessage();
        assertTrue(gone.startsWith("device 'evac:0' is not available"), gone);
        Backends.addListener(listener);
        plugIn();
        assertEquals(DeviceEvent.Kind.ADDED, events.get(0).kind());
        m.to(EV);
        assertEquals(EV, m.linear.weight.device());
        assertTrue(expected.allclose(m.forward(x.to(EV)).cpu(), 1e-6, 1e-6));
    }

    @Test
    void nothingOnTheCpuOrOnOtherDevicesMoves() {
        plugIn();
        Tensor onCpu = Tensor.ones(3);
        Tensor onFake = Tensor.ones(3).to(ReferenceDevices.FAKE);
        Backends.addListener(listener);
        Backends.unregister(backend);
        backend = null;
        assertEquals(ReferenceDevices.FAKE, onFake.device());
        assertEquals(Device.CPU, onCpu.device());
        assertTrue(events.get(0).moved().isEmpty());
    }

    @Test
    void forwardPassesInFourThreadsSurviveTheBackendLeavingAndReturning() throws Exception {
        plugIn();
        Generator.seedDefault(7);
        Sequential model = new Sequential(new Linear(8, 16), new ReLU(), new Linear(16, 4));
        Tensor[] inputs = new Tensor[4];
        Tensor[] expected = new Tensor[4];
        for (int i = 0; i < 4; i++) {
            inputs[i] = Tensor.randn(5, 8);
            expected[i] = model.forward(inputs[i]);
        }
        model.to(EV);
        AtomicBoolean stop = new AtomicBoolean();
        AtomicInteger passes = new AtomicInteger();
        List<Throwable> failures = new CopyOnWriteArrayList<>();
        CountDownLatch started = new CountDownLatch(4);
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            int k = i;
            Thread t = new Thread(() -> {
                Tensor x = inputs[k].to(EV);
                started.countDown();
                try {
                    while (!stop.get()) {
                        Tensor y = model.forward(x);
                        if (!y.cpu().allclose(expected[k], 1e-5, 1e-5)) {
                            failures.add(
                                    new AssertionError("thread " + k + " computed " + y + ", expected " + expected[k]));
                        }
                        passes.incrementAndGet();
                    }
                } catch (Throwable e) {
                    failures.add(e);
                }
            });
            threads.add(t);
            t.start();
        }
        assertTrue(started.await(10, TimeUnit.SECONDS));
        for (int cycle = 0; cycle < 3; cycle++) {
            awaitPasses(passes, 20);
            Backends.unregister(backend, "cycle " + cycle);
            awaitPasses(passes, 20);
            plugIn();
        }
        awaitPasses(passes, 20);
        stop.set(true);
        for (Thread t : threads) {
            t.join(30_000);
        }
        assertEquals(List.of(), failures);
        for (Parameter p : model.parameters()) {
            assertEquals(Device.CPU, p.device());
        }
    }

    private static void awaitPasses(AtomicInteger passes, int more) throws InterruptedException {
        int target = passes.get() + more;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (passes.get() < target && System.nanoTime() < deadline) {
            Thread.sleep(1);
        }
        assertTrue(passes.get() >= target, "forward passes stalled at " + passes.get());
    }
}
