package org.plugtorch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.plugtorch.nn.CrossEntropyLoss;
import org.plugtorch.nn.Dropout;
import org.plugtorch.nn.Linear;
import org.plugtorch.nn.ReLU;
import org.plugtorch.nn.Sequential;
import org.plugtorch.optim.Adam;
import org.plugtorch.optim.Optimizer;
import org.plugtorch.registry.Backends;
import org.plugtorch.spi.Backend;
import org.plugtorch.tck.CpuBurner;
import org.plugtorch.tck.ReferenceBackend;
import org.plugtorch.tck.ReferenceDevices;

/**
 * A backend that leaves while training runs on it: the operations in flight finish, and every later one runs on the
 * CPU, where the backend's tensors went. No operation that does not name the device itself may fail, whichever
 * moment the backend leaves at: the gradient accumulation, the engine's first gradient, the optimizer's state and
 * its re-homing after a move, dropout's mask and cross-entropy's one-hot columns all decide their device inside the
 * gate. Several trainers and one thread that plugs the backend in and out run at once, on a machine the test kit's
 * burner keeps busy.
 */
class EvacuationRaceTest {
    private static final Device RACE = Device.parse("race:0");
    private static final int SWAPS = 200;
    private static final int TRAINERS = 4;

    @BeforeAll
    static void devices() {
        ReferenceDevices.install();
    }

    @Test
    void trainingThroughRepeatedRemovalsNeverFailsAnOperationThatDidNotNameTheDevice() throws Exception {
        AtomicBoolean done = new AtomicBoolean();
        List<Throwable> failures = new CopyOnWriteArrayList<>();
        AtomicInteger stepsOnDevice = new AtomicInteger();
        AtomicInteger steps = new AtomicInteger();
        Thread[] trainers = new Thread[TRAINERS];
        for (int i = 0; i < TRAINERS; i++) {
            int seed = i;
            trainers[i] = new Thread(() -> train(seed, done, failures, steps, stepsOnDevice), "trainer-" + i);
            trainers[i].start();
        }
        int swaps = 0;
        try (CpuBurner busy = CpuBurner.start()) {
            java.util.Random pause = new java.util.Random(42);
            for (; swaps < SWAPS && failures.isEmpty(); swaps++) {
                Backend backend = new ReferenceBackend("race");
                int before = stepsOnDevice.get();
                Backends.register(backend);
                // stay until a trainer has run on the device, then leave at a varying moment of the next steps
                long deadline = System.nanoTime() + 10_000_000_000L;
                while (stepsOnDevice.get() == before && failures.isEmpty() && System.nanoTime() < deadline) {
                    Thread.yield();
                }
                for (int spin = pause.nextInt(20_000); spin > 0; spin--) {
                    Thread.onSpinWait();
                }
                Backends.unregister(backend, "race test swap " + swaps);
            }
        } finally {
            done.set(true);
            for (Thread t : trainers) {
                t.join(120_000);
            }
        }
        if (!failures.isEmpty()) {
            AssertionError e = new AssertionError(
                    failures.size() + " operations failed during " + swaps + " removals; the first: " + failures.get(0),
                    failures.get(0));
            throw e;
        }
        assertEquals(SWAPS, swaps);
        assertTrue(
                steps.get() > 0 && stepsOnDevice.get() > 0,
                "training ran (" + steps + " steps, " + stepsOnDevice + " of them started on " + RACE + ")");
    }

    private static void train(
            int seed, AtomicBoolean done, List<Throwable> failures, AtomicInteger steps, AtomicInteger stepsOnDevice) {
        Generator g = new Generator(seed);
        Tensor x = Tensor.randn(new long[] {16, 4}, DType.FLOAT32, Device.CPU, g);
        Tensor y = Tensor.of(new long[] {0, 1, 2, 0, 1, 2, 0, 1, 2, 0, 1, 2, 0, 1, 2, 0});
        while (!done.get() && failures.isEmpty()) {
            Sequential model = new Sequential(new Linear(4, 8), new ReLU(), new Dropout(0.25), new Linear(8, 3));
            Optimizer optimizer = new Adam(model.parameters(), 0.01);
            CrossEntropyLoss loss = new CrossEntropyLoss();
            for (int step = 0; step < 6 && failures.isEmpty(); step++) {
                // the first step on the device makes the optimizer's state there; later moves re-home it
                if (step % 3 == 0) {
                    // naming the device may fail when its backend is away: that is the caller's own request
                    try {
                        model.to(RACE);
                    } catch (IllegalStateException away) {
                        if (!String.valueOf(away.getMessage()).contains("'race:0' is not available")) {
                            failures.add(away);
                        }
                    }
                }
                Tensor input;
                Tensor target;
                Device at = model.parameters().get(0).device();
                try {
                    input = x.to(at);
                    target = y.to(at);
                } catch (IllegalStateException away) {
                    continue; // a device read just before, named here: the caller's own request, like model.to
                }
                if (!input.device().equals(model.parameters().get(0).device())
                        || !target.device().equals(input.device())) {
                    // the device left and came back between the read and the moves: the model went to the CPU
                    // and stays there until moved again, while the inputs were moved explicitly to the new backend
                    continue;
                }
                try {
                    optimizer.zeroGrad();
                    loss.forward(model.forward(input), target).backward();
                    optimizer.step();
                    steps.incrementAndGet();
                    if (at.equals(RACE)) {
                        stepsOnDevice.incrementAndGet();
                    }
                } catch (RuntimeException | AssertionError e) {
                    failures.add(e);
                }
            }
        }
    }
}
