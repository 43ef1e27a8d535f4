package org.plugtorch.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.plugtorch.Tensor;
import org.plugtorch.tck.ReferenceDevices;

/** Gradients of a layer: frozen parameters get none, and they accumulate in place until cleared. */
class SeedTrainingTest {

    @BeforeAll
    static void devices() {
        ReferenceDevices.install();
    }

    @Test
    void frozenParametersGetNoGradientAndZeroGradClears() {
        Linear layer = new Linear(3, 2);
        layer.bias.requiresGrad_(false);
        layer.forward(Tensor.ones(4, 3)).sum().backward();
        assertNotNull(layer.weight.grad());
        assertNull(layer.bias.grad(), "a frozen parameter never gets a grad");
        Tensor first = layer.weight.grad();
        layer.forward(Tensor.ones(4, 3)).sum().backward();
        assertSame(first, layer.weight.grad(), "gradients accumulate in place");
        assertArrayEquals(new float[] {8, 8, 8, 8, 8, 8}, first.toFloatArray());
        layer.zeroGrad(false);
        assertSame(first, layer.weight.grad());
        assertEquals(0.0, first.abs().sum().item());
        layer.zeroGrad();
        assertNull(layer.weight.grad());
        assertTrue(layer.weight.isLeaf());
        assertTrue(layer.forward(Tensor.ones(4, 3)).toString().contains("grad_fn=<AddmmBackward0>"));
    }
}
