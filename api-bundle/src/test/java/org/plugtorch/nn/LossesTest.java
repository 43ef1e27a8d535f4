package org.plugtorch.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.plugtorch.nn.TrainingFixtures.PYTORCH;
import static org.plugtorch.nn.TrainingFixtures.assertPyTorch;
import static org.plugtorch.nn.TrainingFixtures.pattern;
import static org.plugtorch.nn.TrainingFixtures.pyList;
import static org.plugtorch.nn.TrainingFixtures.tensor;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.plugtorch.Tensor;
import org.plugtorch.tck.ReferenceDevices;

/** MSELoss and CrossEntropyLoss against PyTorch: values, gradients, reductions, weights, ignored targets, texts. */
class LossesTest {

    @BeforeAll
    static void devices() {
        ReferenceDevices.install();
    }

    private static String error(Executable call) {
        return assertThrows(RuntimeException.class, call).getMessage();
    }

    private static Tensor weighted(Tensor loss) {
        return loss.dim() == 0 ? loss : loss.mul(pattern(loss.shape())).sum();
    }

    @Test
    void meanSquaredError() {
        Tensor pred = Tensor.of(new float[][] {{0.5f, -1.2f, 2.0f}, {1.5f, 0.3f, -0.7f}});
        Tensor target = Tensor.of(new float[][] {{0.2f, 0.9f, 1.7f}, {2.5f, 0.6f, 1.1f}});
        for (Reduction r : Reduction.values()) {
            Tensor a = pred.clone().requiresGrad_(true);
            Tensor b = target.clone().requiresGrad_(true);
            Tensor loss = new MSELoss(r).forward(a, b);
            assertEquals("MseLossBackward0", loss.gradFn().name());
            weighted(loss).backward();
            String key = "mse." + r.pyName();
            assertPyTorch(key + ".loss", loss);
            assertPyTorch(key + ".grad.input", a.grad());
            assertPyTorch(key + ".grad.target", b.grad());
        }
        assertEquals(PYTORCH.text("mse.repr"), new MSELoss().toString());
    }

    @Test
    void crossEntropyOfClassIndices() {
        Tensor logits = tensor("ce.logits", 4, 3);
        Tensor classes = tensor("ce.classes", 4);
        Tensor cw = Tensor.of(0.2f, 1.0f, 0.5f);
        Object[][] cases = {
            {"mean", new CrossEntropyLoss()},
            {"sum", new CrossEntropyLoss(null, -100, Reduction.SUM)},
            {"none", new CrossEntropyLoss(null, -100, Reduction.NONE)},
            {"weighted", new CrossEntropyLoss(cw, -100, Reduction.MEAN)},
            {"ignore", new CrossEntropyLoss(null, 2, Reduction.MEAN)},
            {"weighted_ignore_sum", new CrossEntropyLoss(cw, 0, Reduction.SUM)},
        };
        for (Object[] c : cases) {
            String key = "ce." + c[0];
            Tensor a = logits.clone().requiresGrad_(true);
            Tensor loss = ((CrossEntropyLoss) c[1]).forward(a, classes);
            assertEquals(PYTORCH.fact(key + ".grad_fn"), loss.gradFn().name(), key);
            weighted(loss).backward();
            assertPyTorch(key + ".loss", loss);
            assertPyTorch(key + ".grad", a.grad());
        }
        Tensor single = Tensor.of(0.3f, -0.2f, 1.1f).requiresGrad_(true);
        Tensor loss = new CrossEntropyLoss().forward(single, Tensor.scalar(2L));
        loss.backward();
        assertPyTorch("ce.single.loss", loss);
        assertPyTorch("ce.single.grad", single.grad());
        Tensor allIgnored =
                new CrossEntropyLoss(null, 1, Reduction.MEAN).forward(logits.narrow(0, 0, 1), Tensor.of(1L));
        assertTrue(Double.isNaN(allIgnored.item()) && Double.isNaN(PYTORCH.values("ce.all_ignored.loss")[0]));
    }

    @Test
    void crossEntropyOnAnotherDevice() {
        Tensor a = tensor("ce.logits", 4, 3).to(ReferenceDevices.FAKE).requiresGrad_(true);
        CrossEntropyLoss criterion = new CrossEntropyLoss();
        criterion.to(ReferenceDevices.FAKE);
        Tensor loss = criterion.forward(a, tensor("ce.classes", 4).to(ReferenceDevices.FAKE));
        loss.backward();
        assertEquals(ReferenceDevices.FAKE, a.grad().device());
        assertPyTorch("ce.mean.loss", loss);
        assertPyTorch("ce.mean.grad", a.grad());
    }

    @Test
    void reprsStateAndErrorsAsPyTorch() {
        assertEquals(PYTORCH.text("ce.repr"), new CrossEntropyLoss().toString());
        assertEquals(
                PYTORCH.text("ce.weighted.state_dict_keys"),
                pyList(new CrossEntropyLoss(Tensor.of(0.2f, 1.0f, 0.5f), -100, Reduction.MEAN)
                        .stateDict()
                        .keySet()));
        assertEquals(
                PYTORCH.text("ce.error.range"),
                error(() -> Functional.crossEntropy(Tensor.ones(2, 3), Tensor.of(0L, 3L))));
        assertEquals(
                PYTORCH.text("ce.error.negative"),
                error(() -> Functional.crossEntropy(Tensor.ones(2, 3), Tensor.of(0L, -2L))));
        assertEquals(
                PYTORCH.text("ce.error.float_target"),
                error(() -> Functional.crossEntropy(Tensor.ones(2, 3), Tensor.of(0f, 1f))));
        assertEquals(
                PYTORCH.text("ce.error.batch"),
                error(() -> Functional.crossEntropy(Tensor.ones(2, 3), Tensor.of(0L, 1L, 2L))));
        assertEquals("median is not a valid value for reduction", error(() -> Reduction.of("median")));
    }
}
