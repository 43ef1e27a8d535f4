package org.plugtorch.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.plugtorch.Tensor;
import org.plugtorch.tck.ReferenceDevices;

/** Section 5 of the module contract: modes, freezing, zeroGrad, apply and the printed form. */
class ModesAndPrintingTest {

    @BeforeAll
    static void devices() {
        ReferenceDevices.install();
    }

    @Test
    void trainAndEvalReachEveryDescendantAndReturnTheModule() {
        Sequential s = new Sequential(new Linear(2, 2), new Sequential(new ReLU()));
        assertTrue(s.isTraining());
        assertSame(s, s.eval());
        for (Module m : s.modules()) {
            assertFalse(m.isTraining());
        }
        assertSame(s, s.train());
        for (Module m : s.modules()) {
            assertTrue(m.isTraining());
        }
        s.train(false);
        assertFalse(s.get(1).isTraining());
    }

    @Test
    void requiresGradFalseFreezesParametersAndLeavesBuffers() {
        Module m = new Module();
        Linear l = m.registerModule("l", new Linear(2, 2));
        Tensor buffer = m.registerBuffer("b", Tensor.zeros(2));
        assertSame(m, m.requiresGrad_(false));
        assertFalse(l.weight.requiresGrad());
        assertFalse(l.bias.requiresGrad());
        assertFalse(buffer.requiresGrad());
        m.requiresGrad_(true);
        assertTrue(l.weight.requiresGrad());
        assertFalse(buffer.requiresGrad());
    }

    @Test
    void zeroGradSetsGradientsToNullOrZeroesThemInPlace() {
        Linear l = new Linear(2, 2);
        Tensor g = Tensor.ones(2, 2);
        l.weight.setGrad(g);
        l.zeroGrad(false);
        assertSame(g, l.weight.grad());
        assertEquals(0.0, g.abs().sum().item());
        l.zeroGrad();
        assertNull(l.weight.grad());
        assertNull(l.bias.grad());
    }

    @Test
    void applyVisitsChildrenFirstAndTheModuleLast() {
        Module root = new Module();
        Module a = root.registerModule("a", new Module());
        Module a1 = a.registerModule("a1", new ReLU());
        Module b = root.registerModule("b", new Identity());
        List<Module> order = new ArrayList<>();
        assertSame(root, root.apply(order::add));
        assertEquals(List.of(a1, a, b, root), order);
    }

    @Test
    void theReprShowsChildrenNotOwnMembers() {
        SeedModels.TestModel m = new SeedModels.TestModel();
        assertEquals("TestModel(\n  (linear): Linear(in_features=3, out_features=3, bias=True)\n)", m.toString());
    }

    @Test
    void leafLayersAndEmptyContainersPrintTheirConfiguration() {
        assertEquals("Linear(in_features=3, out_features=2, bias=False)", new Linear(3, 2, false).toString());
        assertEquals("ReLU()", new ReLU().toString());
        assertEquals("Identity()", new Identity().toString());
        assertEquals("Sequential()", new Sequential().toString());
        assertEquals("ModuleList()", new ModuleList().toString());
        assertEquals("ModuleDict()", new ModuleDict().toString());
    }

    @Test
    void nestedChildrenIndentByTwoSpaces() {
        Sequential s = new Sequential(new Linear(2, 4), new ReLU(), new Sequential(new Linear(4, 1), new Identity()));
        assertEquals(
                "Sequential(\n"
                        + "  (0): Linear(in_features=2, out_features=4, bias=True)\n"
                        + "  (1): ReLU()\n"
                        + "  (2): Sequential(\n"
                        + "    (0): Linear(in_features=4, out_features=1, bias=True)\n"
                        + "    (1): Identity()\n"
                        + "  )\n"
                        + ")",
                s.toString());
    }

    /** A module with an extra repr and children: the extra lines come first. */
    static final class Block extends Module {
        Block() {
            registerModule("act", new ReLU());
        }

        @Override
        public String extraRepr() {
            return "width=4,\nheight=2";
        }
    }

    @Test
    void anExtraReprComesBeforeTheChildren() {
        assertEquals("Block(\n  width=4,\n  height=2\n  (act): ReLU()\n)", new Block().toString());
    }

    /** A module that forgot its forward. */
    static final class NoForward extends Module {}

    @Test
    void aModuleWithoutForwardSaysSo() {
        assertEquals(
                "Module [NoForward] is missing the required \"forward\" function",
                assertThrows(UnsupportedOperationException.class, () -> new NoForward().forward(Tensor.zeros(1)))
                        .getMessage());
        assertEquals(
                "Module [ModuleList] is missing the required \"forward\" function",
                assertThrows(UnsupportedOperationException.class, () -> new ModuleList().forward(Tensor.zeros(1)))
                        .getMessage());
    }
}
