package org.plugtorch.opencl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.plugtorch.opencl.SharedOpenCl.OPENCL_0;

import org.junit.jupiter.api.Test;
import org.plugtorch.Generator;
import org.plugtorch.Tensor;
import org.plugtorch.nn.CrossEntropyLoss;
import org.plugtorch.nn.Sequential;
import org.plugtorch.optim.Adam;
import org.plugtorch.spi.Backends;
import org.plugtorch.train.Dataset;
import org.plugtorch.train.TwoSpirals;

/**
 * A whole program on opencl:0 rather than single kernels: mini-batches of the launcher's training demo (an MLP with
 * BatchNorm, Adam, cross-entropy, backward), with every op checked against the CPU backend as it runs and every
 * allocation checked against the live buffers. Many tensors come and go, so the arena's free ranges are reused
 * heavily, which the kernel kits alone do not do.
 */
class TrainingOnOpenClTest {
    @Test
    void trainingStepsAgreeOpByOpWithTheCpuBackend() {
        SharedOpenCl.available();
        CpuCheckedBackend checked = new CpuCheckedBackend(new OpenClBackend());
        Backends.register(checked, Integer.MAX_VALUE);
        try {
            Generator.seedDefault(0);
            Dataset data = TwoSpirals.generate(100, 0.02, new Generator(1));
            Sequential model = TwoSpirals.classifier(16);
            model.to(OPENCL_0);
            Adam optimizer = new Adam(model.parameters(), 0.02);
            CrossEntropyLoss criterion = new CrossEntropyLoss();
            Generator order = new Generator(2);
            for (int step = 0; step < 6; step++) {
                int[] batch = new int[32];
                for (int i = 0; i < batch.length; i++) {
                    batch[i] = (int) (order.nextUInt32() % data.size());
                }
                optimizer.zeroGrad();
                Tensor loss = criterion.forward(model.forward(data.inputs(batch, OPENCL_0)), data.labels(batch, OPENCL_0));
                assertEquals(OPENCL_0, loss.device());
                loss.backward();
                optimizer.step();
                assertTrue(Double.isFinite(loss.item()), "step " + step + " loss " + loss.item());
                if (step % 2 == 1) {
                    System.gc(); // let the runtime free the previous steps' tensors, so that their ranges are reused
                }
            }
            assertTrue(checked.ops() > 1000, "every op was checked: " + checked.ops());
        } finally {
            Backends.unregister(checked);
        }
    }
}
