package org.plugtorch.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.plugtorch.nn.TrainingFixtures.PYTORCH;
import static org.plugtorch.nn.TrainingFixtures.assertPyTorch;
import static org.plugtorch.nn.TrainingFixtures.pyList;
import static org.plugtorch.nn.TrainingFixtures.tensor;

import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.plugtorch.Device;
import org.plugtorch.Tensor;
import org.plugtorch.optim.SGD;
import org.plugtorch.tck.ReferenceDevices;

/**
 * The network, Linear → BatchNorm1d → ReLU → Linear, with hand-set weights, trained three SGD steps
 * (momentum 0.9) on a cross-entropy loss: after each step the output, loss, every gradient, every parameter and the
 * running statistics are PyTorch's. On the CPU and on a second device.
 */
class TrainingNetworkTest {

    @BeforeAll
    static void devices() {
        ReferenceDevices.install();
    }

    private static Sequential handSetNetwork() {
        Sequential net = new Sequential(new Linear(3, 4), new BatchNorm1d(4), new ReLU(), new Linear(4, 2));
        Tensor.noGrad(() -> {
            net.namedParameters().forEach((name, p) -> p.copy_(tensor("net.init." + name, p.shape())));
            return null;
        });
        return net;
    }

    @Test
    void threeStepsOfTrainingAsPyTorch() {
        for (Device device : new Device[] {Device.CPU, ReferenceDevices.FAKE}) {
            Sequential net = handSetNetwork();
            net.to(device);
            assertEquals(PYTORCH.text("net.repr"), net.toString());
            assertEquals(
                    PYTORCH.text("net.state_dict_keys"), pyList(net.stateDict().keySet()));
            SGD opt = new SGD(net.parameters(), 0.1, 0.9);
            CrossEntropyLoss criterion = new CrossEntropyLoss();
            Tensor x = tensor("net.x", 6, 3).to(device);
            Tensor y = tensor("net.y", 6).to(device);
            for (int step = 1; step <= 3; step++) {
                String at = "net.step" + step + ".";
                opt.zeroGrad();
                Tensor out = net.forward(x);
                Tensor loss = criterion.forward(out, y);
                loss.backward();
                assertPyTorch(at + "out", out);
                assertPyTorch(at + "loss", loss);
                for (Map.Entry<String, Parameter> p : net.namedParameters().entrySet()) {
                    assertEquals(device, p.getValue().grad().device());
                    assertPyTorch(at + "grad." + p.getKey(), p.getValue().grad());
                }
                opt.step();
                net.namedParameters().forEach((name, p) -> assertPyTorch(at + name, p));
                net.namedBuffers().forEach((name, b) -> assertPyTorch(at + name, b));
            }
            net.eval();
            assertPyTorch("net.eval.out", Tensor.noGrad(() -> net.forward(x)));
        }
    }
}
