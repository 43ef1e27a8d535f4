package org.plugtorch.opencl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.plugtorch.opencl.SharedOpenCl.OPENCL_0;

import org.junit.jupiter.api.Test;
import org.plugtorch.DType;
import org.plugtorch.Device;
import org.plugtorch.Generator;
import org.plugtorch.Tensor;
import org.plugtorch.nn.BatchNorm1d;
import org.plugtorch.nn.CrossEntropyLoss;
import org.plugtorch.nn.Linear;
import org.plugtorch.nn.ReLU;
import org.plugtorch.nn.Sequential;
import org.plugtorch.optim.Adam;
import org.plugtorch.registry.Backends;

/**
 * A whole program on opencl:0 rather than single kernels: mini-batches of a training run shaped as the launcher's
 * demo (an MLP with BatchNorm, Adam, cross-entropy, backward, on 2-d points in two classes), with every op checked against the CPU backend as it runs and every
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
            // points in the plane, labelled by the quadrant's sign: data no straight line separates
            Tensor points = Tensor.randn(new long[] {200, 2}, DType.FLOAT32, Device.CPU, new Generator(1));
            Tensor classes =
                    points.select(1, 0).mul(points.select(1, 1)).gt(0.0).to(DType.INT64);
            Sequential model = new Sequential(
                    new Linear(2, 16),
                    new BatchNorm1d(16),
                    new ReLU(),
                    new Linear(16, 16),
                    new BatchNorm1d(16),
                    new ReLU(),
                    new Linear(16, 2));
            model.to(OPENCL_0);
            Adam optimizer = new Adam(model.parameters(), 0.02);
            CrossEntropyLoss criterion = new CrossEntropyLoss();
            Generator order = new Generator(2);
            for (int step = 0; step < 6; step++) {
                long[] batch = new long[32];
                for (int i = 0; i < batch.length; i++) {
                    batch[i] = order.nextUInt32() % 200;
                }
                optimizer.zeroGrad();
                Tensor loss = criterion.forward(
                        model.forward(rows(points, batch).to(OPENCL_0)),
                        rows(classes, batch).to(OPENCL_0));
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

    /** The rows {@code indices} of {@code t}, stacked. */
    private static Tensor rows(Tensor t, long[] indices) {
        long[] shape = t.shape();
        shape[0] = indices.length;
        Tensor out = Tensor.zeros(shape, t.dtype(), Device.CPU);
        for (int i = 0; i < indices.length; i++) {
            out.select(0, i).copy_(t.select(0, indices[i]));
        }
        return out;
    }
}
