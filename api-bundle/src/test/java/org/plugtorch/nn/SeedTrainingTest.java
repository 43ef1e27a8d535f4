package org.plugtorch.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.plugtorch.Device;
import org.plugtorch.Tensor;
import org.plugtorch.optim.SGD;
import org.plugtorch.tck.ReferenceDevices;
import org.plugtorch.train.StateSnapshot;
import org.plugtorch.train.TensorChange;

/** The seed's point, trained: an optimizer over {@code parameters()} changes the parameters and not the buffers. */
class SeedTrainingTest {

    @BeforeAll
    static void devices() {
        ReferenceDevices.install();
    }

    @Test
    void anOptimizerOverParametersTrainsParametersAndNotBuffers() {
        for (Device device : new Device[] {Device.CPU, ReferenceDevices.FAKE}) {
            SeedModels.BufferModel model = new SeedModels.BufferModel();
            model.to(device);
            // the plain field stays where it was made; put it where the forward pass runs, as a user would
            model.buffer1.setData(model.buffer1.to(device));
            StateSnapshot before = StateSnapshot.of(model).with("buffer1", model.buffer1);
            SGD opt = new SGD(model.parameters(), 0.1);
            Tensor loss = model.forward(Tensor.ones(3).to(device)).pow(2L).sum();
            loss.backward();
            assertNotNull(model.parameter1.grad());
            assertNull(model.buffer2.grad());
            opt.step();
            for (TensorChange c : before.changes()) {
                assertEquals(c.kind() == TensorChange.Kind.PARAMETER, c.changed(), c.toString());
            }
        }
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
