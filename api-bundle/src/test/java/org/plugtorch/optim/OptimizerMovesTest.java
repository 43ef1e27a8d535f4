package org.plugtorch.optim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.plugtorch.nn.TrainingFixtures.assertPyTorch;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.plugtorch.Device;
import org.plugtorch.Tensor;
import org.plugtorch.nn.Module;
import org.plugtorch.nn.Parameter;
import org.plugtorch.registry.Backends;
import org.plugtorch.spi.Backend;
import org.plugtorch.tck.ReferenceBackend;
import org.plugtorch.tck.ReferenceDevices;

/**
 * An optimizer built before its model moves keeps working: its state follows each parameter object, to the
 * parameter's new device, and training goes on with PyTorch's numbers. The same when a backend leaves and its
 * tensors are evacuated to the CPU.
 */
class OptimizerMovesTest {

    @BeforeAll
    static void devices() {
        ReferenceDevices.install();
    }

    /** The problem's parameters, registered in a module so that {@code to(device)} moves them as a model's. */
    private static Module holder(OptimizerProblem problem) {
        Module m = new Module();
        m.registerParameter("w", problem.w);
        m.registerParameter("b", problem.b);
        return m;
    }

    @Test
    void stateFollowsItsParameterToAnotherDevice() {
        for (String config : new String[] {"sgd_momentum", "adam_wd_amsgrad"}) {
            OptimizerProblem problem = new OptimizerProblem();
            Module model = holder(problem);
            Optimizer opt = OptimizerProblem.CONFIGS.get(config).apply(problem.params());
            problem.step(opt);
            Object firstState = opt.state(problem.w).values().stream()
                    .filter(v -> v instanceof Tensor && ((Tensor) v).dim() > 0)
                    .findFirst()
                    .orElseThrow();
            model.to(ReferenceDevices.FAKE);
            assertPyTorch("opt." + config + ".step2.loss", problem.step(opt));
            assertSame(
                    firstState,
                    opt.state(problem.w).values().stream()
                            .filter(v -> v instanceof Tensor && ((Tensor) v).dim() > 0)
                            .findFirst()
                            .orElseThrow(),
                    "the same state tensor, re-homed");
            assertEquals(ReferenceDevices.FAKE, ((Tensor) firstState).device());
            model.to(Device.CPU);
            assertPyTorch("opt." + config + ".step3.loss", problem.step(opt));
            assertPyTorch("opt." + config + ".step3.w", problem.w);
            assertEquals(Device.CPU, ((Tensor) firstState).device());
        }
    }

    @Test
    void trainingGoesOnWhenTheBackendLeaves() {
        Backend leaving = new ReferenceBackend("leaving");
        Backends.register(leaving);
        try {
            OptimizerProblem problem = new OptimizerProblem();
            Module model = holder(problem);
            model.to(Device.parse("leaving:0"));
            Adam opt = new Adam(problem.params(), 0.01);
            problem.step(opt);
            Tensor expAvg = (Tensor) opt.state(problem.w).get("exp_avg");
            assertEquals(Device.parse("leaving:0"), expAvg.device());
            Backends.unregister(leaving);
            assertEquals(Device.CPU, problem.w.device());
            assertEquals(Device.CPU, expAvg.device(), "evacuated with its parameter");
            problem.step(opt);
            assertPyTorch("opt.adam.step2.w", problem.w);
            model.to(ReferenceDevices.FAKE);
            problem.step(opt);
            assertPyTorch("opt.adam.step3.w", problem.w);
            assertEquals(ReferenceDevices.FAKE, expAvg.device());
        } finally {
            Backends.unregister(leaving);
        }
    }

    @Test
    void aParameterStaysTheSameObjectForTheOptimizer() {
        OptimizerProblem problem = new OptimizerProblem();
        Module model = holder(problem);
        SGD opt = new SGD(model.parameters(), 0.1);
        model.to(ReferenceDevices.FAKE);
        Parameter w = (Parameter) opt.paramGroups().get(0).params().get(0);
        assertSame(problem.w, w);
        assertEquals(ReferenceDevices.FAKE, w.device());
    }
}
