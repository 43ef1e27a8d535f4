package org.plugtorch.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.plugtorch.Tensor;
import org.plugtorch.tck.ReferenceDevices;

/** The streamed form of loadStateDict: shapes first, values copied on demand, with the map form's checks and texts. */
class StreamedLoadStateDictTest {

    @BeforeAll
    static void devices() {
        ReferenceDevices.install();
    }

    static final class Net extends Module {
        final Linear linear;
        final Parameter b;
        final Parameter scalar;

        Net() {
            linear = module("linear", new Linear(3, 3));
            b = parameter("b", Tensor.zeros(3));
            scalar = parameter("scalar", Tensor.scalar(0.0));
        }
    }

    private static Map<String, long[]> shapesOf(Module m) {
        Map<String, long[]> shapes = new LinkedHashMap<>();
        m.stateDict().forEach((k, v) -> shapes.put(k, v.shape()));
        return shapes;
    }

    /** A copier that fills each target with a value derived from its key, and records the keys it was asked for. */
    private static BiConsumer<String, Tensor> recording(List<String> asked) {
        return (key, target) -> {
            asked.add(key);
            target.fill_(key.length());
        };
    }

    @Test
    void copiesEveryMatchingKeyInPlaceInModuleOrder() {
        Net net = new Net();
        Parameter weight = net.linear.weight;
        List<String> asked = new ArrayList<>();
        IncompatibleKeys keys = net.loadStateDict(shapesOf(net), recording(asked), true);
        assertEquals("<All keys matched successfully>", keys.toString());
        assertEquals(List.of("b", "scalar", "linear.weight", "linear.bias"), asked);
        assertSame(weight, net.linear.weight);
        assertArrayEquals(new float[] {13, 13, 13, 13, 13, 13, 13, 13, 13}, weight.toFloatArray());
    }

    @Test
    void aOneElementVectorLoadsIntoAScalar() {
        Net net = new Net();
        Map<String, long[]> shapes = shapesOf(net);
        shapes.put("scalar", new long[] {1});
        net.loadStateDict(shapes, recording(new ArrayList<>()), true);
        assertEquals(6.0, net.scalar.item());
    }

    @Test
    void failedChecksCopyNothingAndUseTheMapFormsTexts() {
        Net net = new Net();
        float[] before = net.linear.weight.toFloatArray();
        Map<String, long[]> shapes = shapesOf(net);
        shapes.remove("b");
        shapes.put("unknown", new long[] {1});
        shapes.put("linear.weight", new long[] {2, 2});
        List<String> asked = new ArrayList<>();
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> net.loadStateDict(shapes, recording(asked), true));
        assertEquals(
                "Error(s) in loading state_dict for Net:\n"
                        + "\tMissing key(s) in state_dict: \"b\". \n"
                        + "\tUnexpected key(s) in state_dict: \"unknown\". \n"
                        + "\tsize mismatch for linear.weight: copying a param with shape torch.Size([2, 2]) from checkpoint, "
                        + "the shape in current model is torch.Size([3, 3]).",
                e.getMessage());
        assertTrue(asked.isEmpty());
        assertArrayEquals(before, net.linear.weight.toFloatArray());
    }

    @Test
    void aKeyWithoutAShapeIsReportedAsTheMapFormReportsANull() {
        Net net = new Net();
        Map<String, long[]> shapes = shapesOf(net);
        shapes.put("b", null);
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class, () -> net.loadStateDict(shapes, recording(new ArrayList<>()), true));
        assertTrue(
                e.getMessage()
                        .startsWith("Error(s) in loading state_dict for Net:\n\tWhile copying the parameter "
                                + "named \"b\", expected Tensor or Tensor-like object from checkpoint but received "),
                e.getMessage());
    }

    @Test
    void nonStrictReturnsMissingAndUnexpectedKeys() {
        Net net = new Net();
        Map<String, long[]> shapes = shapesOf(net);
        shapes.remove("linear.bias");
        shapes.put("extra", new long[] {2});
        List<String> asked = new ArrayList<>();
        IncompatibleKeys keys = net.loadStateDict(shapes, recording(asked), false);
        assertEquals(List.of("linear.bias"), keys.missingKeys());
        assertEquals(List.of("extra"), keys.unexpectedKeys());
        assertEquals(List.of("b", "scalar", "linear.weight"), asked);
    }
}
