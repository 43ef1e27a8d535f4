package org.plugtorch.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.plugtorch.Tensor;
import org.plugtorch.nn.IncompatibleKeys;
import org.plugtorch.nn.Linear;
import org.plugtorch.nn.Module;
import org.plugtorch.tck.ReferenceDevices;

/**
 * Saving and loading many tensors is O(n log n): tensors are grouped by storage in one pass (not compared in pairs,
 * 100,000 parameters took 72 s to save), and a module's keys are split among its children in one pass (not searched
 * by every child: loading 100,000 took 28 s).
 */
class ManyTensorsTest {
    @TempDir
    Path dir;

    @BeforeAll
    static void devices() {
        ReferenceDevices.install();
    }

    /** A tensor that counts the pairwise storage questions asked of it: the work an all-pairs check does. */
    static final class Counting extends Tensor {
        static final AtomicLong ASKED = new AtomicLong();

        Counting(Tensor data) {
            super(data, false);
        }

        @Override
        public boolean sharesStorageWith(Tensor other) {
            ASKED.incrementAndGet();
            return super.sharesStorageWith(other);
        }
    }

    @Test
    void theSharedMemoryCheckAsksNoPairwiseQuestion() throws Exception {
        int n = 20_000;
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        for (int i = 0; i < n; i++) {
            tensors.put("t" + i, new Counting(Tensor.full(new long[] {2}, i)));
        }
        Counting.ASKED.set(0);
        Path file = dir.resolve("many.safetensors");
        Checkpoints.saveSafetensors(tensors, null, file);
        assertEquals(0, Counting.ASKED.get(), "all pairs: " + (long) n * (n - 1) / 2);
        assertEquals(n, Checkpoints.load(file, LoadOptions.defaults()).size());
        // sharing is still found, in groups connected by overlaps: rows 0-1, 1-2 and 2-3 of one storage, and a
        // row of another; views that only meet at no element stay apart
        Tensor base = Tensor.zeros(10);
        tensors.put("a", new Counting(base.narrow(0, 0, 2)));
        tensors.put("b", new Counting(base.narrow(0, 4, 2)));
        tensors.put("c", new Counting(base.narrow(0, 1, 2)));
        tensors.put("d", new Counting(base.narrow(0, 2, 3)));
        tensors.put("e", new Counting(base.narrow(0, 8, 2)));
        tensors.put("f", new Counting(Tensor.zeros(3)));
        tensors.put("g", new Counting(base.narrow(0, 9, 0)));
        String message = assertThrows(
                        IllegalArgumentException.class, () -> Checkpoints.saveSafetensors(tensors, null, file))
                .getMessage();
        assertTrue(
                message.startsWith("Some tensors share memory, this will lead to duplicate memory on disk and "
                        + "potential differences when loading them again: [[a, b, c, d]]."),
                message);
        assertEquals(0, Counting.ASKED.get());
    }

    /** {@code n / 2} Linear(1, 1) children named 0, 1, ...: n parameters. */
    private static Module model(int n) {
        Module m = new Module();
        for (int i = 0; i < n / 2; i++) {
            m.registerModule(Integer.toString(i), new Linear(1, 1));
        }
        return m;
    }

    @Test
    void aModuleOf120000ParametersSavesAndLoads() throws IOException {
        // these took minutes before (72 s to save 100,000 parameters, 28 s to load them: quadratic)
        int n = 120_000;
        Module source = model(n);
        Path file = dir.resolve("model.safetensors");
        Checkpoints.save(source, file);
        Module target = model(n);
        assertEquals(
                "<All keys matched successfully>",
                Checkpoints.loadStateDict(target, file, LoadOptions.defaults()).toString());
        Module again = model(n);
        IncompatibleKeys keys = again.loadStateDict(source.stateDict());
        assertEquals("<All keys matched successfully>", keys.toString());
        for (String key : new String[] {"0.weight", "54321.bias", "59999.weight"}) {
            assertTrue(source.getParameter(key).equal(target.getParameter(key)), key);
            assertTrue(source.getParameter(key).equal(again.getParameter(key)), key);
        }
    }
}
