package org.plugtorch.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.plugtorch.DType;
import org.plugtorch.Device;
import org.plugtorch.Tensor;
import org.plugtorch.tck.ReferenceDevices;

/** Section 3 of the module contract: loading in place, strictness, and the error layout. */
class LoadStateDictTest {

    @BeforeAll
    static void devices() {
        ReferenceDevices.install();
    }

    /** PyTorch's "Net" of the contract: a Linear(3, 3) child and an own parameter "b". */
    static final class Net extends Module {
        final Linear linear;
        final Parameter b;

        Net() {
            linear = module("linear", new Linear(3, 3));
            b = parameter("b", Tensor.zeros(3));
        }
    }

    private static LinkedHashMap<String, Tensor> snapshot(Module m) {
        LinkedHashMap<String, Tensor> copy = new LinkedHashMap<>();
        m.stateDict().forEach((k, v) -> copy.put(k, v.clone()));
        return copy;
    }

    private static void assertSameValues(Map<String, Tensor> expected, Module m) {
        Map<String, Tensor> actual = m.stateDict();
        assertEquals(expected.keySet(), actual.keySet());
        expected.forEach((k, v) -> assertTrue(v.equal(actual.get(k)), k));
    }

    private static String error(Module m, Map<String, Tensor> sd, boolean strict) {
        return assertThrows(IllegalArgumentException.class, () -> m.loadStateDict(sd, strict))
                .getMessage();
    }

    @Test
    void loadingCopiesInPlace() {
        Net source = new Net();
        Net target = new Net();
        Parameter weight = target.linear.weight;
        Tensor storageView = weight.view(9);
        IncompatibleKeys result = target.loadStateDict(source.stateDict());
        assertEquals("<All keys matched successfully>", result.toString());
        assertSame(weight, target.linear.weight);
        assertSame(weight, target.getParameter("linear.weight"));
        assertTrue(storageView.sharesStorageWith(weight));
        assertTrue(source.linear.weight.equal(target.linear.weight));
        assertTrue(storageView.equal(source.linear.weight.reshape(9)));
        assertTrue(weight.requiresGrad());
    }

    @Test
    void valuesAreConvertedToTheModulesDtype() {
        Net target = new Net();
        Map<String, Tensor> sd = snapshot(target);
        Tensor wide = Tensor.of(new double[][] {{0.1, 0.2, 0.3}, {1e-3, 1.0 / 3, 2}, {-5, 6, 7}});
        sd.put("linear.weight", wide);
        target.loadStateDict(sd);
        assertEquals(DType.FLOAT32, target.linear.weight.dtype());
        assertArrayEquals(
                new float[] {0.1f, 0.2f, 0.3f, 1e-3f, 1.0f / 3, 2, -5, 6, 7}, target.linear.weight.toFloatArray());
    }

    @Test
    void valuesComeFromAnyDeviceToTheParametersDevice() {
        Net target = new Net();
        Map<String, Tensor> sd = snapshot(new Net());
        Map<String, Tensor> onFake = new LinkedHashMap<>();
        sd.forEach((k, v) -> onFake.put(k, v.to(ReferenceDevices.FAKE)));
        target.loadStateDict(onFake);
        assertEquals(Device.CPU, target.linear.weight.device());
        assertSameValues(sd, target);
    }

    @Test
    void missingAndUnexpectedKeysAreErrorsWhenStrict() {
        Net net = new Net();
        Map<String, Tensor> sd = snapshot(net);
        sd.remove("b");
        sd.put("unknown", Tensor.zeros(1));
        assertEquals(
                "Error(s) in loading state_dict for Net:\n"
                        + "\tMissing key(s) in state_dict: \"b\". \n"
                        + "\tUnexpected key(s) in state_dict: \"unknown\". ",
                error(net, sd, true));
    }

    @Test
    void theContractsFullErrorLayout() {
        Net net = new Net();
        Map<String, Tensor> before = snapshot(net);
        Map<String, Tensor> sd = snapshot(net);
        sd.remove("b");
        sd.put("unknown", Tensor.zeros(1));
        sd.put("linear.weight", Tensor.zeros(2, 2));
        assertEquals(
                "Error(s) in loading state_dict for Net:\n"
                        + "\tMissing key(s) in state_dict: \"b\". \n"
                        + "\tUnexpected key(s) in state_dict: \"unknown\". \n"
                        + "\tsize mismatch for linear.weight: copying a param with shape torch.Size([2, 2]) from checkpoint, "
                        + "the shape in current model is torch.Size([3, 3]).",
                error(net, sd, true));
        assertSameValues(before, net);
    }

    @Test
    void nonStrictReturnsTheKeys() {
        Net net = new Net();
        Map<String, Tensor> sd = snapshot(new Net());
        sd.remove("b");
        sd.remove("linear.bias");
        sd.put("extra.thing", Tensor.zeros(1));
        sd.put("linear.extra", Tensor.zeros(1));
        IncompatibleKeys keys = net.loadStateDict(sd, false);
        assertEquals(List.of("b", "linear.bias"), keys.missingKeys());
        assertEquals(List.of("extra.thing", "linear.extra"), keys.unexpectedKeys());
        assertEquals(
                "_IncompatibleKeys(missing_keys=['b', 'linear.bias'], unexpected_keys=['extra.thing', 'linear.extra'])",
                keys.toString());
        assertTrue(sd.get("linear.weight").equal(net.linear.weight));
    }

    @Test
    void aShapeMismatchIsAnErrorEvenWhenNotStrict() {
        Net net = new Net();
        Map<String, Tensor> before = snapshot(net);
        Map<String, Tensor> sd = snapshot(new Net());
        sd.put("b", Tensor.zeros(4));
        assertEquals(
                "Error(s) in loading state_dict for Net:\n"
                        + "\tsize mismatch for b: copying a param with shape torch.Size([4]) from checkpoint, the shape in "
                        + "current model is torch.Size([3]).",
                error(net, sd, false));
        assertSameValues(before, net);
    }

    @Test
    void aFailedLoadChangesNothingNotEvenTheMatchingKeys() {
        Net net = new Net();
        Parameter weight = net.linear.weight;
        Map<String, Tensor> before = snapshot(net);
        Map<String, Tensor> sd = snapshot(new Net());
        sd.put("unknown", Tensor.zeros(1));
        error(net, sd, true);
        assertSameValues(before, net);
        assertSame(weight, net.linear.weight);
        assertEquals(DType.FLOAT32, weight.dtype());
        assertEquals(Device.CPU, weight.device());
    }

    @Test
    void aNonPersistentBuffersKeyIsUnexpected() {
        Module m = new Module();
        m.registerBuffer("pe", Tensor.zeros(2), false);
        Map<String, Tensor> sd = new HashMap<>(Map.of("pe", Tensor.ones(2)));
        assertEquals(
                "Error(s) in loading state_dict for Module:\n\tUnexpected key(s) in state_dict: \"pe\". ",
                error(m, sd, true));
        assertEquals(List.of("pe"), m.loadStateDict(sd, false).unexpectedKeys());
        assertTrue(m.getBuffer("pe").equal(Tensor.zeros(2)));
    }

    @Test
    void buffersLoadInPlaceToo() {
        Module m = new Module();
        Tensor running = m.registerBuffer("running", Tensor.zeros(2));
        Tensor count = m.registerBuffer("count", Tensor.scalar(0L));
        m.loadStateDict(Map.of("running", Tensor.of(1f, 2f), "count", Tensor.scalar(5L)));
        assertSame(running, m.getBuffer("running"));
        assertTrue(running.equal(Tensor.of(1f, 2f)));
        assertEquals(5, count.itemLong());
        assertEquals(DType.INT64, count.dtype());
    }

    @Test
    void aValueThatIsNotATensorIsReported() {
        Module m = new Module();
        m.registerParameter("w", new Parameter(Tensor.zeros(1)));
        @SuppressWarnings({"unchecked", "rawtypes"})
        Map<String, Tensor> raw = (Map) new HashMap<>(Map.of("w", 5));
        assertEquals(
                "Error(s) in loading state_dict for Module:\n\tWhile copying the parameter named \"w\", expected "
                        + "Tensor or Tensor-like object from checkpoint but received java.lang.Integer",
                error(m, raw, true));
    }

    @Test
    void aOneElementVectorLoadsIntoAScalar() {
        Module m = new Module();
        Tensor s = m.registerBuffer("s", Tensor.scalar(0.0));
        m.loadStateDict(Map.of("s", Tensor.of(4f)));
        assertEquals(4.0, s.item());
        assertEquals(0, s.dim());
    }

    @Test
    void nullSlotsAreNeitherExpectedNorAccepted() {
        Linear noBias = new Linear(2, 2, false);
        Map<String, Tensor> sd = snapshot(noBias);
        assertEquals(List.of("weight"), List.copyOf(sd.keySet()));
        sd.put("bias", Tensor.zeros(2));
        assertEquals(List.of("bias"), noBias.loadStateDict(sd, false).unexpectedKeys());
    }

    @Test
    void keysOfAnEmptyChildSlotAreIgnoredAsInPyTorch() {
        Module m = new Module();
        m.registerModule("gone", (Module) null);
        IncompatibleKeys keys = m.loadStateDict(Map.of("gone.weight", Tensor.zeros(1)), true);
        assertTrue(keys.isEmpty());
    }
}
