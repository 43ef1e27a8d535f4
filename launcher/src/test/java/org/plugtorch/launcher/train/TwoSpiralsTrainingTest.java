package org.plugtorch.launcher.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.plugtorch.Device;
import org.plugtorch.Generator;
import org.plugtorch.Tensor;
import org.plugtorch.nn.Sequential;
import org.plugtorch.optim.Adam;
import org.plugtorch.tck.ReferenceDevices;

/**
 * The training demo's pieces: the spirals, the loop, and the before/after comparison that shows what an optimizer
 * trains (parameters), what changes without being trained (batch normalisation's running statistics), and what stays
 * as it was (a plain tensor).
 */
class TwoSpiralsTrainingTest {

    @BeforeAll
    static void devices() {
        ReferenceDevices.install();
    }

    @Test
    void theSpiralsAreTwoInterleavedArmsOfTheSameSeed() {
        Dataset a = TwoSpirals.generate(50, 0.02, new Generator(1));
        Dataset b = TwoSpirals.generate(50, 0.02, new Generator(1));
        assertEquals(100, a.size());
        assertEquals(2, a.classes());
        assertArrayEquals(a.sample(17), b.sample(17));
        assertEquals(0, a.label(49));
        assertEquals(1, a.label(50));
        float[] first = TwoSpirals.generate(50, 0, new Generator(1)).sample(0);
        float[] opposite = TwoSpirals.generate(50, 0, new Generator(1)).sample(50);
        assertEquals(-first[0], opposite[0], 1e-6, "arm 1 is arm 0 turned by half a turn");
        assertEquals(-first[1], opposite[1], 1e-6);
    }

    @Test
    void theLoopLearnsTheSpiralsAndOnlyParametersAreTrained() {
        Generator.seedDefault(0);
        Device device = ReferenceDevices.FAKE;
        Dataset data = TwoSpirals.generate(100, 0.02, new Generator(1));
        Sequential model = TwoSpirals.classifier(16);
        model.to(device);
        Tensor plain = Tensor.ones(3).to(device);
        StateSnapshot before = StateSnapshot.of(model).with("plain", plain);
        ClassifierTraining loop = new ClassifierTraining(model, new Adam(model.parameters(), 0.03), device);
        List<Integer> batchesSeen = new ArrayList<>();
        List<EpochResult> results = loop.fit(data, 40, 32, new Generator(2), new ClassifierTraining.Listener() {
            @Override
            public void batchDone(int epoch, int batch, int batches, double loss) {
                batchesSeen.add(batch);
            }
        });
        assertEquals(40, results.size());
        assertEquals(40 * 7, batchesSeen.size());
        double early =
                (results.get(0).loss() + results.get(1).loss() + results.get(2).loss()) / 3;
        double late = (results.get(37).loss()
                        + results.get(38).loss()
                        + results.get(39).loss())
                / 3;
        assertTrue(late < 0.75 * early, "the loss falls: " + early + " -> " + late);
        double best = results.stream().mapToDouble(EpochResult::accuracy).max().orElse(0);
        assertTrue(best >= 0.95, "the spirals are learned: best accuracy " + best);
        assertTrue(results.get(39).accuracy() >= 0.9, "and stay learned: " + results.get(39));
        assertEquals(loop.accuracy(data), results.get(39).accuracy());

        Map<String, TensorChange> changes = new LinkedHashMap<>();
        before.changes().forEach(c -> changes.put(c.name(), c));
        for (TensorChange c : changes.values()) {
            switch (c.kind()) {
                case PARAMETER:
                    assertTrue(c.changed(), c + " is trained");
                    break;
                case BUFFER:
                    assertTrue(c.changed(), c + " moves with the batches' statistics");
                    break;
                default:
                    assertFalse(c.changed(), c + " is not part of the module");
            }
            assertEquals(device.toString(), c.deviceAfter());
        }
        assertEquals(
                List.of(
                        "0.weight",
                        "0.bias",
                        "1.weight",
                        "1.bias",
                        "3.weight",
                        "3.bias",
                        "4.weight",
                        "4.bias",
                        "6.weight",
                        "6.bias",
                        "1.running_mean",
                        "1.running_var",
                        "1.num_batches_tracked",
                        "4.running_mean",
                        "4.running_var",
                        "4.num_batches_tracked",
                        "plain"),
                List.copyOf(changes.keySet()));
        assertEquals(
                TensorChange.Kind.BUFFER, changes.get("1.num_batches_tracked").kind());
        assertEquals(40 * 7, (int) changes.get("1.num_batches_tracked").maxAbsChange());
    }
}
