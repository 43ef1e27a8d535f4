package org.plugtorch.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.plugtorch.DType;
import org.plugtorch.Tensor;
import org.plugtorch.tck.ReferenceDevices;

/** Section 2 of the module contract: enumeration order, duplicates, and the state dict. */
class EnumerationTest {

    @BeforeAll
    static void devices() {
        ReferenceDevices.install();
    }

    private static List<String> keys(Map<String, ?> m) {
        return List.copyOf(m.keySet());
    }

    /** A tree: root(p, b, sub(linear(weight, bias), q), shared, again = shared). */
    static final class Tree extends Module {
        final Module shared = new Linear(2, 2);

        Tree() {
            Module sub = new Module();
            sub.registerModule("linear", new Linear(2, 2));
            sub.registerParameter("q", new Parameter(Tensor.zeros(1)));
            registerModule("sub", sub);
            registerParameter("p", new Parameter(Tensor.zeros(1)));
            registerBuffer("b", Tensor.zeros(1));
            registerModule("shared", shared);
            registerModule("again", shared);
        }
    }

    @Test
    void theSeedsParametersComeOwnFirstThenTheChilds() {
        SeedModels.TestModel m = new SeedModels.TestModel();
        assertEquals(List.of("parameter1", "parameter2", "linear.weight", "linear.bias"), keys(m.namedParameters()));
        assertEquals(
                List.of(m.parameter1, m.getParameter("parameter2"), m.linear.weight, m.linear.bias), m.parameters());
    }

    @Test
    void namedModulesIsPreOrderWithEachModuleOnce() {
        Tree t = new Tree();
        assertEquals(List.of("", "sub", "sub.linear", "shared"), keys(t.namedModules()));
        assertEquals(List.of("", "sub", "sub.linear", "shared", "again"), keys(t.namedModules("", false)));
        assertEquals(List.of("m", "m.sub", "m.sub.linear", "m.shared"), keys(t.namedModules("m", true)));
        assertSame(t, t.modules().get(0));
    }

    @Test
    void childrenAreDirectAndDeduplicated() {
        Tree t = new Tree();
        assertEquals(List.of("sub", "shared"), keys(t.namedChildren()));
        assertEquals(2, t.children().size());
    }

    @Test
    void ownMembersComeBeforeEveryChildsAndSharedOnesOnce() {
        Tree t = new Tree();
        assertEquals(
                List.of("p", "sub.q", "sub.linear.weight", "sub.linear.bias", "shared.weight", "shared.bias"),
                keys(t.namedParameters()));
        assertEquals(
                List.of(
                        "p",
                        "sub.q",
                        "sub.linear.weight",
                        "sub.linear.bias",
                        "shared.weight",
                        "shared.bias",
                        "again.weight",
                        "again.bias"),
                keys(t.namedParameters("", true, false)));
        assertEquals(List.of("p"), keys(t.namedParameters("", false, true)));
        assertEquals(List.of("x.p"), keys(t.namedParameters("x", false, true)));
        assertEquals(List.of("b"), keys(t.namedBuffers()));
        assertEquals(List.of("p"), keys(Map.of("p", t.parameters(false).get(0))));
    }

    @Test
    void aTiedWeightIsListedOnceUnderItsFirstName() {
        Module m = new Module();
        Linear encoder = m.registerModule("encoder", new Linear(3, 3));
        Linear decoder = m.registerModule("decoder", new Linear(3, 3, false));
        decoder.registerParameter("weight", encoder.weight);
        assertEquals(List.of("encoder.weight", "encoder.bias"), keys(m.namedParameters()));
        assertEquals(
                List.of("encoder.weight", "encoder.bias", "decoder.weight"), keys(m.namedParameters("", true, false)));
        assertEquals(2, m.parameters().size());
    }

    @Test
    void stateDictHasOwnParametersThenPersistentBuffersThenChildren() {
        Module child = new Module();
        child.registerParameter("cp", new Parameter(Tensor.zeros(1)));
        child.registerBuffer("cb", Tensor.zeros(1));
        Module m = new Module();
        m.registerModule("child", child);
        m.registerBuffer("b1", Tensor.zeros(1));
        m.registerParameter("p1", new Parameter(Tensor.zeros(1)));
        m.registerBuffer("hidden", Tensor.zeros(1), false);
        m.registerBuffer("b2", Tensor.zeros(1));
        m.registerParameter("p2", new Parameter(Tensor.zeros(1)));
        assertEquals(List.of("p1", "p2", "b1", "b2", "child.cp", "child.cb"), keys(m.stateDict()));
        assertEquals(List.of("b1", "hidden", "b2", "child.cb"), keys(m.namedBuffers()));
        assertEquals(
                List.of("pre.p1", "pre.p2", "pre.b1", "pre.b2", "pre.child.cp", "pre.child.cb"),
                keys(m.stateDict("pre.", false)));
    }

    @Test
    void tiedTensorsAppearUnderEveryKey() {
        Tree t = new Tree();
        assertEquals(
                List.of(
                        "p",
                        "b",
                        "sub.q",
                        "sub.linear.weight",
                        "sub.linear.bias",
                        "shared.weight",
                        "shared.bias",
                        "again.weight",
                        "again.bias"),
                keys(t.stateDict()));
        assertTrue(t.stateDict()
                .get("shared.weight")
                .sharesStorageWith(t.stateDict().get("again.weight")));
    }

    @Test
    void stateDictValuesAreDetachedAndShareStorage() {
        SeedModels.TestModel m = new SeedModels.TestModel();
        Tensor w = m.stateDict().get("linear.weight");
        assertNotSame(m.linear.weight, w);
        assertFalse(w instanceof Parameter);
        assertFalse(w.requiresGrad());
        assertTrue(w.sharesStorageWith(m.linear.weight));
        // a parameter is a leaf that requires grad: as in PyTorch, it is written in place outside autograd
        Tensor.noGrad(() -> m.linear.weight.fill_(7.0));
        assertEquals(7.0, w.get(0, 0).item());
    }

    @Test
    void keepVarsReturnsTheObjectsThemselves() {
        SeedModels.TestModel m = new SeedModels.TestModel();
        assertSame(m.linear.weight, m.stateDict("", true).get("linear.weight"));
        assertSame(m.parameter1, m.stateDict("", true).get("parameter1"));
    }

    @Test
    void integerBuffersKeepTheirDtype() {
        Module m = new Module();
        m.registerBuffer("num_batches_tracked", Tensor.scalar(0L));
        assertEquals(DType.INT64, m.stateDict().get("num_batches_tracked").dtype());
        m.to(DType.FLOAT64);
        assertEquals(DType.INT64, m.stateDict().get("num_batches_tracked").dtype());
    }
}
