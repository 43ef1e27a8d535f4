package org.plugtorch.opencl;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.plugtorch.opencl.SharedOpenCl.OPENCL_0;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.plugtorch.DType;
import org.plugtorch.Device;
import org.plugtorch.Generator;
import org.plugtorch.Tensor;
import org.plugtorch.nn.Linear;
import org.plugtorch.nn.Module;
import org.plugtorch.nn.Parameter;

/** A model moved cpu -> opencl:0 -> cpu keeps every state-dict value bit for bit, and computes on the device. */
class ModelMoveTest {
    /** The seed's TestModel, plus a registered buffer. */
    static final class TestModel extends Module {
        final Linear linear;
        final Parameter parameter1;
        final Tensor running;

        TestModel() {
            linear = module("linear", new Linear(3, 3));
            parameter1 = parameter("parameter1", Tensor.randn(3));
            registerParameter("parameter2", new Parameter(Tensor.randn(3)));
            running = buffer("running", Tensor.randn(3));
        }

        @Override
        public Tensor forward(Tensor x) {
            return linear.forward(x)
                    .add(parameter1)
                    .add(getParameter("parameter2"))
                    .sub(running);
        }
    }

    private static Map<String, double[]> values(Module m) {
        Map<String, double[]> out = new LinkedHashMap<>();
        m.stateDict().forEach((name, t) -> out.put(name, t.cpu().toDoubleArray()));
        return out;
    }

    @Test
    void cpuToOpenClToCpuKeepsEveryValueAndComputesOnTheDevice() {
        SharedOpenCl.available();
        Generator.seedDefault(0);
        TestModel model = new TestModel();
        Tensor x = Tensor.randn(2, 3);
        Tensor onCpu = model.forward(x);
        Map<String, double[]> before = values(model);
        Parameter weight = model.linear.weight;

        assertSame(model, model.to(OPENCL_0));
        model.stateDict().forEach((name, t) -> assertEquals(OPENCL_0, t.device(), name + " moved"));
        assertSame(weight, model.linear.weight, "moving keeps the parameter objects");
        Tensor onDevice = model.forward(x.to(OPENCL_0));
        assertEquals(OPENCL_0, onDevice.device(), "forward ran on the device");
        assertTrue(onDevice.cpu().allclose(onCpu, 1e-5, 1e-6), onDevice + " vs " + onCpu);

        model.to(Device.CPU);
        model.stateDict().forEach((name, t) -> assertEquals(Device.CPU, t.device(), name + " back on the cpu"));
        Map<String, double[]> after = values(model);
        assertEquals(before.keySet(), after.keySet());
        before.forEach((name, v) -> assertArrayEquals(v, after.get(name), 0.0, name + " unchanged"));
    }

    @Test
    void aFloat64ModelRoundTripsToo() {
        SharedOpenCl.available();
        Generator.seedDefault(1);
        TestModel model = new TestModel();
        model.toDouble();
        Map<String, double[]> before = values(model);
        model.to(OPENCL_0);
        model.stateDict().forEach((name, t) -> assertEquals(DType.FLOAT64, t.dtype(), name));
        model.to(Device.CPU);
        Map<String, double[]> after = values(model);
        before.forEach((name, v) -> assertArrayEquals(v, after.get(name), 0.0, name + " unchanged"));
    }
}
