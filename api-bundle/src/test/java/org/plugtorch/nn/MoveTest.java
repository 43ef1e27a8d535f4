package org.plugtorch.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.plugtorch.DType;
import org.plugtorch.Device;
import org.plugtorch.Tensor;
import org.plugtorch.tck.ReferenceDevices;

/** Section 4 of the module contract: moves keep identity, skip plain fields, and never mix devices. */
class MoveTest {
    private static final Device FAKE = ReferenceDevices.FAKE;

    @BeforeAll
    static void devices() {
        ReferenceDevices.install();
    }

    private static Map<String, Object> slots(Module m) {
        Map<String, Object> out = new java.util.LinkedHashMap<>();
        m.namedParameters("", true, false).forEach(out::put);
        m.namedBuffers("", true, false).forEach((k, v) -> out.put("buffer:" + k, v));
        return out;
    }

    @Test
    void toReturnsTheModuleAndKeepsEverySlotsObject() {
        SeedModels.BufferModel m = new SeedModels.BufferModel();
        m.registerBuffer("hidden", Tensor.ones(2), false);
        Map<String, Object> before = slots(m);
        float[] p1 = m.parameter1.toFloatArray();
        assertSame(m, m.to(FAKE));
        Map<String, Object> after = slots(m);
        assertEquals(before.keySet(), after.keySet());
        before.forEach((k, v) -> assertSame(v, after.get(k), k));
        assertEquals(FAKE, m.parameter1.device());
        assertEquals(FAKE, m.buffer2.device());
        assertEquals(FAKE, m.getBuffer("hidden").device());
        assertArrayEquals(p1, m.parameter1.toFloatArray());
        assertTrue(m.parameter1.requiresGrad());
        assertSame(m, m.to(Device.CPU));
        assertEquals(Device.CPU, m.parameter1.device());
        assertArrayEquals(p1, m.parameter1.toFloatArray());
    }

    @Test
    void aPlainTensorFieldStaysWhereItWas() {
        SeedModels.BufferModel m = new SeedModels.BufferModel();
        Tensor plain = m.buffer1;
        m.to(FAKE);
        assertSame(plain, m.buffer1);
        assertEquals(Device.CPU, m.buffer1.device());
    }

    @Test
    void callingAModuleWhosePlainFieldStayedBehindIsADeviceMismatch() {
        SeedModels.BufferModel m = new SeedModels.BufferModel();
        m.to(FAKE);
        Tensor x = Tensor.ones(3).to(FAKE);
        String msg =
                assertThrows(IllegalArgumentException.class, () -> m.forward(x)).getMessage();
        assertEquals(
                "Expected all tensors to be on the same device, but found at least two devices, fake:0 and cpu!", msg);
    }

    @Test
    void theCorrectedSeedProgramRunsOnTheDevice() {
        SeedModels.TestModel m = new SeedModels.TestModel();
        Tensor x = Tensor.randn(2, 3);
        Tensor onCpu = m.forward(x);
        m.to(FAKE);
        Tensor onFake = m.forward(x.to(FAKE));
        assertEquals(FAKE, onFake.device());
        assertTrue(onCpu.allclose(onFake.cpu(), 1e-6, 1e-6));
    }

    @Test
    void gradientsMoveWithTheirParametersAndKeepIdentity() {
        Linear l = new Linear(2, 2);
        Tensor grad = Tensor.ones(2, 2);
        l.weight.setGrad(grad);
        l.to(FAKE);
        assertSame(grad, l.weight.grad());
        assertEquals(FAKE, grad.device());
        l.to(DType.FLOAT64);
        assertEquals(DType.FLOAT64, grad.dtype());
        assertEquals(DType.FLOAT64, l.weight.dtype());
    }

    @Test
    void tiedWeightsStayTied() {
        Module m = new Module();
        Linear a = m.registerModule("a", new Linear(2, 2));
        Linear b = m.registerModule("b", new Linear(2, 2));
        b.registerParameter("weight", a.weight);
        m.to(FAKE);
        assertSame(a.weight, b.getParameter("weight"));
        assertEquals(FAKE, b.getParameter("weight").device());
        Tensor.noGrad(() -> a.weight.fill_(3.0));
        assertEquals(3.0, b.getParameter("weight").get(1, 1).item());
    }

    @Test
    void dtypeConversionTouchesFloatingPointTensorsOnly() {
        Module m = new Module();
        Parameter w = m.registerParameter("w", new Parameter(Tensor.of(0.1f, 0.2f)));
        Tensor steps = m.registerBuffer("num_batches_tracked", Tensor.scalar(3L));
        Tensor mask = m.registerBuffer("mask", Tensor.of(true, false));
        m.toDouble();
        assertEquals(DType.FLOAT64, w.dtype());
        assertEquals(DType.INT64, steps.dtype());
        assertEquals(DType.BOOL, mask.dtype());
        assertEquals((double) 0.1f, w.get(0).item());
        m.toFloat();
        assertEquals(DType.FLOAT32, w.dtype());
        m.to(FAKE, DType.FLOAT64);
        assertEquals(FAKE, steps.device());
        assertEquals(DType.INT64, steps.dtype());
        assertEquals(DType.FLOAT64, w.dtype());
        assertEquals(
                "nn.Module.to only accepts floating point or complex dtypes, but got desired dtype=torch.int64",
                assertThrows(IllegalArgumentException.class, () -> m.to(DType.INT64))
                        .getMessage());
    }

    @Test
    void childrenAreVisitedBeforeOwnParametersAndBuffers() {
        Module root = new Module();
        Module child = root.registerModule("child", new Module());
        Parameter own = root.registerParameter("own", new Parameter(Tensor.zeros(1)));
        Tensor ownBuffer = root.registerBuffer("ownBuffer", Tensor.zeros(1));
        Parameter childs = child.registerParameter("childs", new Parameter(Tensor.zeros(1)));
        List<Tensor> order = new ArrayList<>();
        root.apply(m -> {
            order.addAll(m.parameters(false));
            order.addAll(m.buffers(false));
        });
        assertEquals(List.of(childs, own, ownBuffer), order);
    }

    @Test
    void aFailedMoveChangesNothing() {
        SeedModels.TestModel m = new SeedModels.TestModel();
        Map<String, Object> before = slots(m);
        String msg = assertThrows(IllegalStateException.class, () -> m.to(Device.parse("nowhere:3")))
                .getMessage();
        assertTrue(msg.startsWith("device 'nowhere:3' is not available"), msg);
        assertTrue(msg.contains("fake:0"), msg);
        slots(m).forEach((k, v) -> {
            assertSame(before.get(k), v);
            assertEquals(Device.CPU, ((Tensor) v).device(), k);
        });
    }

    @Test
    void mixingDevicesInOneOperationIsAnError() {
        Tensor a = Tensor.ones(2).to(FAKE);
        Tensor b = Tensor.ones(2);
        assertEquals(
                "Expected all tensors to be on the same device, but found at least two devices, fake:0 and cpu!",
                assertThrows(IllegalArgumentException.class, () -> a.add(b)).getMessage());
        assertEquals(
                "Expected all tensors to be on the same device, but found at least two devices, cpu and fake:0!",
                assertThrows(IllegalArgumentException.class, () -> b.mul(a)).getMessage());
        // a zero-dimensional CPU tensor is a scalar, and may join an operation on any device, as in PyTorch
        assertEquals(FAKE, a.add(Tensor.scalar(2.0)).device());
    }
}
