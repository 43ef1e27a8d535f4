package org.plugtorch.optim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.plugtorch.Tensor;
import org.plugtorch.nn.BatchNorm1d;
import org.plugtorch.nn.Parameter;
import org.plugtorch.tck.ReferenceDevices;

/** The keyword-style options build the same optimizers and layers as the positional constructors, and check the same. */
class OptionsTest {
    @BeforeAll
    static void devices() {
        ReferenceDevices.install();
    }

    private static List<Parameter> params() {
        return List.of(new Parameter(Tensor.ones(2)));
    }

    @Test
    void sgdOptionsAreTheKeywordArguments() {
        SGD positional = new SGD(params(), 0.1, 0.9, 0.0, 1e-4, true, true);
        SGD keywords = new SGD(
                params(),
                SGD.options(0.1).momentum(0.9).weightDecay(1e-4).nesterov(true).maximize(true));
        assertEquals(
                positional.paramGroups().get(0).options(),
                keywords.paramGroups().get(0).options());
        assertEquals(
                new SGD(params(), 0.5).paramGroups().get(0).options(),
                new SGD(params(), SGD.options(0.5)).paramGroups().get(0).options());
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class,
                () -> new SGD(params(), SGD.options(0.1).nesterov(true)));
        assertEquals("Nesterov momentum requires a momentum and zero dampening", e.getMessage());
    }

    @Test
    void adamAndAdamWOptionsAreTheKeywordArgumentsWithTheirOwnDefaults() {
        assertEquals(
                new Adam(params(), 0.01, 0.8, 0.99, 1e-6, 0.0, true)
                        .paramGroups()
                        .get(0)
                        .options(),
                new Adam(
                                params(),
                                Adam.options()
                                        .lr(0.01)
                                        .betas(0.8, 0.99)
                                        .eps(1e-6)
                                        .amsgrad(true))
                        .paramGroups()
                        .get(0)
                        .options());
        assertEquals(
                new Adam(params()).paramGroups().get(0).options(),
                new Adam(params(), Adam.options()).paramGroups().get(0).options());
        assertEquals(
                new AdamW(params()).paramGroups().get(0).options(),
                new AdamW(params(), AdamW.options()).paramGroups().get(0).options());
        assertEquals(
                0.05,
                new AdamW(params(), AdamW.options().weightDecay(0.05))
                        .paramGroups()
                        .get(0)
                        .options()
                        .get("weight_decay"));
        assertThrows(
                IllegalArgumentException.class,
                () -> new Adam(params(), Adam.options().betas(1.0, 0.9)));
    }

    @Test
    void batchNormOptionsAreTheKeywordArguments() {
        BatchNorm1d keywords = new BatchNorm1d(
                3, BatchNorm1d.options().eps(1e-3).momentum(null).affine(false));
        assertEquals(new BatchNorm1d(3, 1e-3, null, false, true).toString(), keywords.toString());
        assertEquals(
                "BatchNorm1d(3, eps=0.001, momentum=None, affine=False, track_running_stats=True)",
                keywords.toString());
        assertEquals(
                new BatchNorm1d(3).stateDict().keySet(),
                new BatchNorm1d(3, BatchNorm1d.options()).stateDict().keySet());
    }
}
