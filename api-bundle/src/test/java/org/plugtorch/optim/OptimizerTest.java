package org.plugtorch.optim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.plugtorch.nn.TrainingFixtures.PYTORCH;
import static org.plugtorch.nn.TrainingFixtures.assertPyTorch;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.plugtorch.DType;
import org.plugtorch.Device;
import org.plugtorch.Tensor;
import org.plugtorch.nn.Parameter;
import org.plugtorch.tck.ReferenceDevices;

/** SGD, Adam and AdamW against PyTorch: three steps of each configuration, state dicts, reprs and error texts. */
class OptimizerTest {

    @BeforeAll
    static void devices() {
        ReferenceDevices.install();
    }

    private static String error(Executable call) {
        return assertThrows(RuntimeException.class, call).getMessage();
    }

    @Test
    void threeStepsOfEveryConfigurationMatchPyTorch() {
        OptimizerProblem.CONFIGS.forEach((name, make) -> {
            OptimizerProblem problem = new OptimizerProblem();
            Optimizer opt = make.apply(problem.params());
            for (int step = 1; step <= 3; step++) {
                Tensor loss = problem.step(opt);
                String key = "opt." + name + ".step" + step;
                assertPyTorch(key + ".loss", loss);
                assertPyTorch(key + ".w", problem.w);
                assertPyTorch(key + ".b", problem.b);
            }
            Map<String, Object> state0 = opt.state(problem.w);
            for (Map.Entry<String, Object> e : state0.entrySet()) {
                String key = "opt." + name + ".state.0." + e.getKey();
                if (e.getValue() == null) {
                    assertEquals("None", PYTORCH.fact(key));
                } else {
                    assertPyTorch(key, (Tensor) e.getValue());
                }
            }
            assertEquals(PYTORCH.text("opt." + name + ".state_keys"), stateKeys(opt.stateDict()), name);
            assertEquals(PYTORCH.text("opt." + name + ".param_groups"), pyGroups(opt.stateDict()), name);
            assertEquals(PYTORCH.text("opt." + name + ".repr"), opt.toString(), name);
        });
    }

    /** Python's repr of {@code {0: ['step', ...], 1: [...]}}. */
    @SuppressWarnings("unchecked")
    private static String stateKeys(Map<String, Object> stateDict) {
        List<String> entries = new ArrayList<>();
        ((Map<Integer, Map<String, Object>>) stateDict.get("state")).forEach((k, v) -> {
            List<String> names = new ArrayList<>();
            v.keySet().forEach(n -> names.add("'" + n + "'"));
            entries.add(k + ": " + names);
        });
        return "{" + String.join(", ", entries) + "}";
    }

    /** Python's repr of the {@code param_groups} list: betas are a tuple, params a list. */
    @SuppressWarnings("unchecked")
    static String pyGroups(Map<String, Object> stateDict) {
        List<String> groups = new ArrayList<>();
        for (Map<String, Object> g : (List<Map<String, Object>>) stateDict.get("param_groups")) {
            List<String> items = new ArrayList<>();
            g.forEach((k, v) -> items.add("'" + k + "': "
                    + (k.equals("params") ? v.toString() : org.plugtorch.internal.runtime.PyRepr.of(v))));
            groups.add("{" + String.join(", ", items) + "}");
        }
        return "[" + String.join(", ", groups) + "]";
    }

    @Test
    void stateIsKeptPerParameterObjectAndSavedByIndex() {
        OptimizerProblem problem = new OptimizerProblem();
        SGD opt = new SGD(problem.params(), 0.1, 0.9);
        assertTrue(opt.state(problem.w).isEmpty());
        problem.step(opt);
        Tensor buffer = (Tensor) opt.state(problem.w).get("momentum_buffer");
        problem.step(opt);
        assertSame(buffer, opt.state(problem.w).get("momentum_buffer"), "updated in place");
        @SuppressWarnings("unchecked")
        Map<Integer, Map<String, Object>> state =
                (Map<Integer, Map<String, Object>>) opt.stateDict().get("state");
        assertSame(buffer, state.get(0).get("momentum_buffer"));
        assertEquals(List.of(0, 1), List.copyOf(state.keySet()));
    }

    @Test
    void loadingAStateDictContinuesTrainingExactly() {
        OptimizerProblem original = new OptimizerProblem();
        Adam a = new Adam(original.params(), 0.01);
        original.step(a);
        original.step(a);
        OptimizerProblem resumed = new OptimizerProblem();
        Tensor.noGrad(() -> resumed.w.copy_(original.w));
        Tensor.noGrad(() -> resumed.b.copy_(original.b));
        Adam b = new Adam(resumed.params(), 0.5);
        b.loadStateDict(a.stateDict());
        assertEquals(0.01, b.paramGroups().get(0).lr(), "the saved options replace the group's");
        assertNotSame(a.state(original.w).get("exp_avg"), b.state(resumed.w).get("exp_avg"), "a copy");
        original.step(a);
        resumed.step(b);
        assertPyTorch("opt.adam.step3.w", resumed.w);
        assertEquals(original.w.toString(), resumed.w.toString());
        assertEquals(Device.CPU, ((Tensor) b.state(resumed.w).get("step")).device());
    }

    @Test
    void loadedStateTakesTheParametersDeviceAndDtype() {
        OptimizerProblem saved = new OptimizerProblem();
        SGD a = new SGD(saved.params(), 0.1, 0.9);
        saved.step(a);
        Parameter w = new Parameter(Tensor.zeros(new long[] {2, 3}, DType.FLOAT64, ReferenceDevices.FAKE));
        Parameter b = new Parameter(Tensor.zeros(new long[] {3}, DType.FLOAT64, ReferenceDevices.FAKE));
        SGD loaded = new SGD(List.of(w, b), 0.1, 0.9);
        loaded.loadStateDict(a.stateDict());
        Tensor buffer = (Tensor) loaded.state(w).get("momentum_buffer");
        assertEquals(ReferenceDevices.FAKE, buffer.device());
        assertEquals(DType.FLOAT64, buffer.dtype());
    }

    @Test
    void zeroGradSetsGradientsToNullOrZeroesThemInPlace() {
        OptimizerProblem problem = new OptimizerProblem();
        SGD opt = new SGD(problem.params(), 0.1);
        problem.step(opt);
        Tensor grad = problem.w.grad();
        opt.zeroGrad(false);
        assertSame(grad, problem.w.grad());
        assertEquals(0.0, grad.abs().sum().item());
        opt.zeroGrad();
        assertNull(problem.w.grad());
        float[] before = problem.w.toFloatArray();
        opt.step();
        org.junit.jupiter.api.Assertions.assertArrayEquals(
                before, problem.w.toFloatArray(), "a parameter without a gradient is left alone");
    }

    @Test
    void parameterGroupsHaveTheirOwnOptions() {
        Parameter a = new Parameter(Tensor.ones(3));
        Parameter b = new Parameter(Tensor.ones(2));
        SGD opt = new SGD(List.of(a), 0.1);
        LinkedHashMap<String, Object> options = new LinkedHashMap<>();
        options.put("lr", 0.01);
        options.put("momentum", 0.9);
        opt.addParamGroup(List.of(b), options);
        assertEquals(PYTORCH.text("opt.two_groups.param_groups"), pyGroups(opt.stateDict()));
        a.sum().backward();
        b.sum().backward();
        opt.paramGroups().get(0).set("lr", 0.5);
        opt.step();
        assertEquals(0.5, a.get(0).item(), 1e-7);
        assertEquals(0.99, b.get(0).item(), 1e-7);
    }

    @Test
    void pyTorchsErrors() {
        Parameter w = new Parameter(Tensor.ones(3));
        assertEquals(PYTORCH.text("opt.error.sgd_lr"), error(() -> new SGD(List.of(w), -1)));
        assertEquals(PYTORCH.text("opt.error.sgd_momentum"), error(() -> new SGD(List.of(w), 1, -1)));
        assertEquals(
                PYTORCH.text("opt.error.sgd_weight_decay"), error(() -> new SGD(List.of(w), 1, 0, 0, -0.5, false)));
        assertEquals(PYTORCH.text("opt.error.sgd_nesterov"), error(() -> new SGD(List.of(w), 1, 0, 0, 0, true)));
        assertEquals(PYTORCH.text("opt.error.empty"), error(() -> new SGD(List.of(), 1)));
        assertEquals(PYTORCH.text("opt.error.non_leaf"), error(() -> new SGD(List.of(w.mul(2.0)), 1)));
        SGD one = new SGD(List.of(w), 1);
        assertEquals(PYTORCH.text("opt.error.duplicate"), error(() -> one.addParamGroup(List.of(w), Map.of())));
        assertEquals(PYTORCH.text("opt.error.adam_lr"), error(() -> new Adam(List.of(w), -1)));
        assertEquals(
                PYTORCH.text("opt.error.adam_eps"), error(() -> new Adam(List.of(w), 1e-3, 0.9, 0.999, -1, 0, false)));
        assertEquals(
                PYTORCH.text("opt.error.adam_beta0"),
                error(() -> new Adam(List.of(w), 1e-3, 1.0, 0.9, 1e-8, 0, false)));
        assertEquals(
                PYTORCH.text("opt.error.adam_beta1"),
                error(() -> new Adam(List.of(w), 1e-3, 0.9, 1.0, 1e-8, 0, false)));
        assertEquals(
                PYTORCH.text("opt.error.adam_weight_decay"),
                error(() -> new Adam(List.of(w), 1e-3, 0.9, 0.999, 1e-8, -1, false)));
        assertEquals(
                PYTORCH.text("opt.error.load_groups"),
                error(() -> one.loadStateDict(Map.of("state", Map.of(), "param_groups", List.of()))));
        assertEquals(
                PYTORCH.text("opt.error.load_size"),
                error(() -> one.loadStateDict(
                        Map.of("state", Map.of(), "param_groups", List.of(Map.of("params", List.of(0, 1), "lr", 1))))));
    }
}
