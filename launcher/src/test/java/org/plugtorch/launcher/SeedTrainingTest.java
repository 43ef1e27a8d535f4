package org.plugtorch.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.plugtorch.Device;
import org.plugtorch.Tensor;
import org.plugtorch.launcher.train.StateSnapshot;
import org.plugtorch.launcher.train.TensorChange;
import org.plugtorch.optim.SGD;
import org.plugtorch.tck.ReferenceDevices;

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
}
