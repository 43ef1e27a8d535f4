package org.plugtorch.optim;

import static org.plugtorch.nn.TrainingFixtures.tensor;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.plugtorch.Device;
import org.plugtorch.Tensor;
import org.plugtorch.nn.Parameter;

/**
 * The small problem the optimizer fixtures train: {@code loss(w, b) = sum((tanh(x w + b) - t)²)} from fixed, hand-set
 * {@code x}, {@code t}, {@code w0} and {@code b0}, and the optimizer configurations of {@code training_values.py}.
 */
final class OptimizerProblem {
    static final Map<String, Function<List<Parameter>, Optimizer>> CONFIGS = new LinkedHashMap<>();

    static {
        CONFIGS.put("sgd", ps -> new SGD(ps, 0.1));
        CONFIGS.put("sgd_momentum", ps -> new SGD(ps, 0.1, 0.9, 0.1, 0.01, false));
        CONFIGS.put("sgd_nesterov", ps -> new SGD(ps, 0.1, 0.9, 0, 0.01, true));
        CONFIGS.put("sgd_maximize", ps -> new SGD(ps, 0.05, 0.5, 0, 0, false, true));
        CONFIGS.put("adam", ps -> new Adam(ps, 0.01));
        CONFIGS.put("adam_wd_amsgrad", ps -> new Adam(ps, 0.02, 0.8, 0.9, 1e-6, 0.1, true));
        CONFIGS.put("adamw", ps -> new AdamW(ps, 0.01));
        CONFIGS.put("adamw_amsgrad", ps -> new AdamW(ps, 0.03, 0.9, 0.999, 1e-8, 0.05, true));
    }

    final Parameter w = new Parameter(tensor("opt.w0", 2, 3));
    final Parameter b = new Parameter(tensor("opt.b0", 3));
    private final Tensor x = tensor("opt.x", 4, 2);
    private final Tensor t = tensor("opt.t", 4, 3);

    List<Parameter> params() {
        return List.of(w, b);
    }

    /** One training step: zero the gradients, compute the loss, backward, step. Returns the loss. */
    Tensor step(Optimizer opt) {
        opt.zeroGrad();
        Device d = w.device();
        Tensor loss = x.to(d).matmul(w).add(b).tanh().sub(t.to(d)).pow(2L).sum();
        loss.backward();
        opt.step();
        return loss;
    }
}
