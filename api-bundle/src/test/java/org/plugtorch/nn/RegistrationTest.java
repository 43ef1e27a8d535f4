package org.plugtorch.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.plugtorch.Tensor;
import org.plugtorch.tck.ReferenceDevices;

/** Section 1 of the module contract: registration, its checks in order, and their exact texts. */
class RegistrationTest {

    @BeforeAll
    static void devices() {
        ReferenceDevices.install();
    }

    private static String error(Executable call) {
        return assertThrows(IllegalArgumentException.class, call).getMessage();
    }

    private static Parameter p() {
        return new Parameter(Tensor.zeros(2));
    }

    /** The module's whole structure, to show that a refused registration changed nothing. */
    private static String structure(Module m) {
        return m.namedParameters("", true, false).keySet() + " "
                + m.namedBuffers("", true, false).keySet() + " " + m.stateDict().keySet() + " "
                + m.namedModules().keySet() + " " + m;
    }

    @Test
    void nullNamesAreRefused() {
        Module m = new Module();
        assertEquals("parameter name should be a string. Got null", error(() -> m.registerParameter(null, p())));
        assertEquals("buffer name should be a string. Got null", error(() -> m.registerBuffer(null, Tensor.zeros(1))));
        assertEquals("module name should be a string. Got null", error(() -> m.registerModule(null, new ReLU())));
    }

    @Test
    void dottedNamesAreRefused() {
        Module m = new Module();
        assertEquals("parameter name can't contain \".\"", error(() -> m.registerParameter("a.b", p())));
        assertEquals("buffer name can't contain \".\"", error(() -> m.registerBuffer("a.b", Tensor.zeros(1))));
        assertEquals("module name can't contain \".\", got: a.b", error(() -> m.registerModule("a.b", new ReLU())));
    }

    @Test
    void emptyNamesAreRefused() {
        Module m = new Module();
        assertEquals("parameter name can't be empty string \"\"", error(() -> m.registerParameter("", p())));
        assertEquals("buffer name can't be empty string \"\"", error(() -> m.registerBuffer("", Tensor.zeros(1))));
        assertEquals("module name can't be empty string \"\"", error(() -> m.registerModule("", new ReLU())));
    }

    @Test
    void aNameTakenByAnotherKindOfMemberIsRefused() {
        Module m = new Module();
        m.registerParameter("w", p());
        m.registerBuffer("b", Tensor.zeros(1));
        m.registerModule("c", new ReLU());
        assertEquals("attribute 'w' already exists", error(() -> m.registerBuffer("w", Tensor.zeros(1))));
        assertEquals("attribute 'w' already exists", error(() -> m.registerModule("w", new ReLU())));
        assertEquals("attribute 'b' already exists", error(() -> m.registerParameter("b", p())));
        assertEquals("attribute 'b' already exists", error(() -> m.registerModule("b", new ReLU())));
        assertEquals("attribute 'c' already exists", error(() -> m.registerParameter("c", p())));
        assertEquals("attribute 'c' already exists", error(() -> m.registerBuffer("c", Tensor.zeros(1))));
    }

    @Test
    void aNameTakenByTheClassIsRefused() {
        Module m = new Module();
        for (String name : List.of("forward", "training", "eval", "train", "stateDict", "parameters", "to")) {
            assertEquals("attribute '" + name + "' already exists", error(() -> m.registerParameter(name, p())), name);
            assertEquals("attribute '" + name + "' already exists", error(() -> m.registerBuffer(name, null)), name);
            assertEquals(
                    "attribute '" + name + "' already exists", error(() -> m.registerModule(name, new ReLU())), name);
        }
        // Linear's configuration fields are attributes; its Parameter fields are how it holds its members.
        Linear linear = new Linear(2, 2);
        assertEquals("attribute 'inFeatures' already exists", error(() -> linear.registerBuffer("inFeatures", null)));
        linear.registerParameter("weight", p());
        assertEquals(List.of(2L), List.of(linear.getParameter("weight").size(0)));
    }

    @Test
    void aPlainAttributeNameIsTaken() {
        Module m = new Module();
        m.setAttr("plain", Tensor.zeros(1));
        assertEquals("attribute 'plain' already exists", error(() -> m.registerParameter("plain", p())));
        assertEquals("attribute 'plain' already exists", error(() -> m.registerBuffer("plain", Tensor.zeros(1))));
    }

    @Test
    void aPlainTensorIsNotAParameter() {
        Module m = new Module();
        Object plain = Tensor.zeros(3);
        assertEquals(
                "cannot assign 'org.plugtorch.Tensor' object to parameter 'w' (org.plugtorch.nn.Parameter or null required)",
                error(() -> m.registerParameter("w", plain)));
    }

    @Test
    void aBufferMustBeATensor() {
        Module m = new Module();
        Object list = new ArrayList<>(List.of(1, 2));
        assertEquals(
                "cannot assign 'java.util.ArrayList' object to buffer 'b' (org.plugtorch.Tensor or null required)",
                error(() -> m.registerBuffer("b", list, true)));
    }

    @Test
    void aModuleMustBeAModule() {
        Module m = new Module();
        Object tensor = Tensor.zeros(3);
        assertEquals("org.plugtorch.Tensor is not a Module subclass", error(() -> m.registerModule("m", tensor)));
    }

    @Test
    void checksRunInTheContractOrder() {
        Module m = new Module();
        m.registerBuffer("taken", Tensor.zeros(1));
        Object plain = Tensor.zeros(1);
        // the name is checked before the value, and null before dot before empty before taken
        assertEquals("parameter name should be a string. Got null", error(() -> m.registerParameter(null, plain)));
        assertEquals("parameter name can't contain \".\"", error(() -> m.registerParameter("a.b", plain)));
        assertEquals("parameter name can't be empty string \"\"", error(() -> m.registerParameter("", plain)));
        assertEquals("attribute 'taken' already exists", error(() -> m.registerParameter("taken", plain)));
        assertEquals("buffer name can't contain \".\"", error(() -> m.registerBuffer("x.y", "not a tensor", true)));
        assertEquals("attribute 'taken' already exists", error(() -> m.registerModule("taken", plain)));
    }

    @Test
    void aRefusedRegistrationLeavesTheModuleUnchanged() {
        SeedModels.TestModel m = new SeedModels.TestModel();
        m.registerBuffer("running", Tensor.zeros(3));
        String before = structure(m);
        Object plain = Tensor.zeros(1);
        List<Executable> bad = List.of(
                () -> m.registerParameter(null, p()), () -> m.registerParameter("a.b", p()),
                () -> m.registerParameter("", p()), () -> m.registerParameter("running", p()),
                () -> m.registerParameter("w", plain), () -> m.registerBuffer("linear", Tensor.zeros(1)),
                () -> m.registerBuffer("x", "text", true), () -> m.registerModule("parameter1", new ReLU()),
                () -> m.registerModule("m", plain), () -> m.registerModule("forward", new ReLU()));
        for (Executable call : bad) {
            error(call);
            assertEquals(before, structure(m));
        }
    }

    @Test
    void reRegisteringReplacesInPlaceAndKeepsThePosition() {
        Module m = new Module();
        m.registerParameter("a", p());
        m.registerParameter("b", p());
        m.registerParameter("c", p());
        Parameter replacement = p();
        m.registerParameter("a", replacement);
        assertEquals(List.of("a", "b", "c"), List.copyOf(m.namedParameters().keySet()));
        assertSame(replacement, m.getParameter("a"));

        m.registerBuffer("x", Tensor.zeros(1));
        m.registerBuffer("y", Tensor.zeros(1));
        Tensor newX = Tensor.ones(1);
        m.registerBuffer("x", newX);
        assertEquals(List.of("x", "y"), List.copyOf(m.namedBuffers().keySet()));
        assertSame(newX, m.getBuffer("x"));

        m.registerModule("first", new ReLU());
        m.registerModule("second", new ReLU());
        Identity id = new Identity();
        m.registerModule("first", id);
        assertEquals(List.of("first", "second"), List.copyOf(m.namedChildren().keySet()));
        assertSame(id, m.getSubmodule("first"));
    }

    @Test
    void reRegisteringABufferCanChangeItsPersistence() {
        Module m = new Module();
        m.registerBuffer("b", Tensor.zeros(1), false);
        assertFalse(m.stateDict().containsKey("b"));
        m.registerBuffer("b", Tensor.zeros(1), true);
        assertTrue(m.stateDict().containsKey("b"));
    }

    @Test
    void aNullSlotTakesTheNameButIsSkippedByEveryWalk() {
        Module m = new Module();
        m.registerParameter("p", (Parameter) null);
        m.registerBuffer("b", null);
        m.registerModule("m", (Module) null);
        m.registerParameter("q", p());
        assertEquals(List.of("q"), List.copyOf(m.namedParameters().keySet()));
        assertEquals(List.of(), List.copyOf(m.namedBuffers().keySet()));
        assertEquals(List.of(""), List.copyOf(m.namedModules().keySet()));
        assertEquals(List.of("q"), List.copyOf(m.stateDict().keySet()));
        assertSame(m, m.to(ReferenceDevices.FAKE));
        assertEquals("attribute 'p' already exists", error(() -> m.registerBuffer("p", null)));
        assertEquals("attribute 'm' already exists", error(() -> m.registerParameter("m", p())));
        assertNull(m.getAttr("p"));
        assertEquals("Module(\n  (m): None\n)", m.toString());
    }

    @Test
    void unusualNamesAreLegal() {
        Module m = new Module();
        for (String name : List.of("a b", "0", "with-dash", "ünïcödé", "名前", "$x")) {
            m.registerParameter(name, p());
        }
        assertEquals(
                List.of("a b", "0", "with-dash", "ünïcödé", "名前", "$x"),
                List.copyOf(m.namedParameters().keySet()));
        assertEquals(m.namedParameters().keySet(), m.stateDict().keySet());
    }

    @Test
    void aFrozenParameterIsStillAParameter() {
        Module m = new Module();
        Parameter frozen = m.registerParameter("frozen", new Parameter(Tensor.ones(2), false));
        assertFalse(frozen.requiresGrad());
        assertEquals(List.of(frozen), m.parameters());
        assertTrue(m.stateDict().containsKey("frozen"));
        m.to(ReferenceDevices.FAKE);
        assertEquals(ReferenceDevices.FAKE, frozen.device());
    }

    @Test
    void aParameterThatIsNotAGraphLeafIsRefused() {
        // a parameter that does not require grad, modified in place by one that does, gets a history
        Parameter p = new Parameter(Tensor.ones(2), false);
        p.add_(Tensor.ones(2).requiresGrad_(true));
        assertEquals("AddBackward0", p.gradFn().name());
        Module m = new Module();
        assertEquals(
                "Cannot assign non-leaf Tensor to parameter 'p'. Model parameters must be created explicitly. "
                        + "To express 'p' as a function of another Tensor, compute the value in the forward() method.",
                error(() -> m.registerParameter("p", p)));
        assertEquals(
                "Cannot assign non-leaf Tensor to parameter 'q'. Model parameters must be created explicitly. "
                        + "To express 'q' as a function of another Tensor, compute the value in the forward() method.",
                error(() -> m.setAttr("q", p)));
        assertTrue(m.namedParameters().isEmpty());
        Parameter fromResult = new Parameter(Tensor.ones(2).requiresGrad_(true).mul(2.0));
        assertTrue(fromResult.isLeaf(), "a Parameter made from a result is a new leaf, as nn.Parameter(t)");
        m.registerParameter("r", fromResult);
    }

    @Test
    void anIntegerParameterCannotRequireGrad() {
        assertEquals(
                "Only Tensors of floating point and complex dtype can require gradients",
                error(() -> new Parameter(Tensor.of(1L, 2L))));
        Parameter ok = new Parameter(Tensor.of(1L, 2L), false);
        assertFalse(ok.requiresGrad());
    }

    @Test
    void aParameterSharesStorageWithItsData() {
        Tensor data = Tensor.zeros(3);
        Parameter p = new Parameter(data);
        assertTrue(p.sharesStorageWith(data));
        assertTrue(p.requiresGrad());
        data.fill_(2.0);
        assertEquals(2.0, p.get(0).item());
    }

    /** Declaring a member as a Parameter and calling registerParameter are the same thing. */
    static final class Declared extends Module {
        final Parameter weight;

        Declared() {
            weight = parameter("weight", Tensor.ones(2));
        }
    }

    static final class Registered extends Module {
        Registered() {
            registerParameter("weight", new Parameter(Tensor.ones(2)));
        }
    }

    @Test
    void theDeclarativeFormIsRegistration() {
        Declared d = new Declared();
        Registered r = new Registered();
        assertEquals(r.namedParameters().keySet(), d.namedParameters().keySet());
        assertEquals(r.stateDict().keySet(), d.stateDict().keySet());
        assertSame(d.weight, d.getParameter("weight"));
        assertTrue(d.weight.requiresGrad());
    }

    @Test
    void aPlainTensorFieldIsNotRegistered() {
        SeedModels.BufferModel m = new SeedModels.BufferModel();
        assertFalse(m.parameters().contains(m.buffer1));
        assertFalse(m.buffers().contains(m.buffer1));
        assertFalse(m.stateDict().containsKey("buffer1"));
        assertEquals(List.of("parameter1", "buffer2"), List.copyOf(m.stateDict().keySet()));
    }

    @Test
    void setAttrRegistersAsPythonAttributeAssignmentDoes() {
        Module m = new Module();
        Parameter w = p();
        m.setAttr("w", w);
        assertSame(w, m.getParameter("w"));
        m.setAttr("child", new ReLU());
        assertTrue(m.namedChildren().containsKey("child"));
        m.registerBuffer("buf", Tensor.zeros(1));
        Tensor nb = Tensor.ones(1);
        m.setAttr("buf", nb);
        assertSame(nb, m.getBuffer("buf"));
        m.setAttr("plain", Tensor.ones(2));
        assertFalse(m.stateDict().containsKey("plain"));
        assertEquals(List.of("w", "buf"), List.copyOf(m.stateDict().keySet()));
        // a Parameter assigned over a plain attribute replaces it, as in Python
        m.setAttr("plain", p());
        assertTrue(m.namedParameters().containsKey("plain"));
        assertEquals(
                "cannot assign 'org.plugtorch.Tensor' as parameter 'w' (org.plugtorch.nn.Parameter or null expected)",
                error(() -> m.setAttr("w", Tensor.zeros(2))));
        assertEquals(
                "cannot assign 'java.lang.String' as child module 'child' (org.plugtorch.nn.Module or null expected)",
                error(() -> m.setAttr("child", "text")));
        assertEquals(
                "cannot assign 'java.lang.Integer' as buffer 'buf' (org.plugtorch.Tensor or null expected)",
                error(() -> m.setAttr("buf", 3)));
        assertEquals("'Module' object has no attribute 'nothing'", error(() -> m.getAttr("nothing")));
        m.setAttr("w", null);
        assertNull(m.getAttr("w"));
        assertFalse(m.namedParameters().containsKey("w"));
    }

    /** A module with the Java-only mistakes: a Parameter and a Module in fields, never registered. */
    static final class Forgetful extends Module {
        final Parameter forgottenWeight = new Parameter(Tensor.ones(2));
        final Linear forgottenLayer = new Linear(2, 2);
        final List<Module> layers = List.of(new ReLU());
        final Parameter registered;

        Forgetful() {
            registered = parameter("registered", Tensor.ones(2));
        }
    }

    @Test
    void unregisteredParameterAndModuleFieldsAreReportedOnceByName() {
        Logger logger = Logger.getLogger(Module.class.getName());
        List<String> messages = new ArrayList<>();
        Handler capture = new Handler() {
            @Override
            public void publish(LogRecord record) {
                messages.add(record.getMessage());
            }

            @Override
            public void flush() {}

            @Override
            public void close() {}
        };
        logger.addHandler(capture);
        try {
            Forgetful m = new Forgetful();
            m.parameters();
            m.stateDict();
            new Forgetful().namedModules();
            assertEquals(3, messages.size(), messages.toString());
            assertTrue(
                    messages.get(0).startsWith("Forgetful.forgottenWeight holds a Parameter that is not registered"));
            assertTrue(messages.get(1).startsWith("Forgetful.forgottenLayer holds a Module that is not registered"));
            assertTrue(messages.get(2).startsWith("Forgetful.layers is a collection holding Modules"));
            assertTrue(messages.get(2).contains("ModuleList"));
        } finally {
            logger.removeHandler(capture);
        }
    }

    @Test
    void registrationReturnsWhatItRegistered() {
        Module m = new Module();
        Parameter w = p();
        assertSame(w, m.registerParameter("w", w));
        Tensor b = Tensor.zeros(1);
        assertSame(b, m.registerBuffer("b", b));
        ReLU r = new ReLU();
        assertSame(r, m.registerModule("r", r));
        assertSame(r, m.addModule("r", r));
        Map<String, Module> children = m.namedChildren();
        assertEquals(List.of("r"), List.copyOf(children.keySet()));
    }
}
