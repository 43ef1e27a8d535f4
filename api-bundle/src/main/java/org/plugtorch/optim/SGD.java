package org.plugtorch.optim;

import static org.plugtorch.spi.Preconditions.checkArgument;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.plugtorch.Tensor;
import org.plugtorch.internal.runtime.PyRepr;

/**
 * Stochastic gradient descent, PyTorch's {@code torch.optim.SGD}, with its defaults ({@code momentum=0},
 * {@code dampening=0}, {@code weight_decay=0}, {@code nesterov=False}, {@code maximize=False}) and its update, per
 * parameter with a gradient {@code g}:
 * <pre>
 * d = g (or -g when maximizing) + weight_decay * p
 * buf = d                                  at the first step with momentum
 * buf = momentum * buf + (1 - dampening) * d   afterwards
 * d = d + momentum * buf (Nesterov) or buf
 * p = p - lr * d
 * </pre>
 * The state of each parameter is {@code momentum_buffer} (null without momentum, as PyTorch stores {@code None}).
 */
public class SGD extends Optimizer {

    /** {@code SGD(params, lr)}: plain gradient descent. */
    public SGD(List<? extends Tensor> params, double lr) {
        this(params, lr, 0, 0, 0, false);
    }

    /** {@code SGD(params, lr, momentum)}. */
    public SGD(List<? extends Tensor> params, double lr, double momentum) {
        this(params, lr, momentum, 0, 0, false);
    }

    public SGD(
            List<? extends Tensor> params,
            double lr,
            double momentum,
            double dampening,
            double weightDecay,
            boolean nesterov) {
        this(params, lr, momentum, dampening, weightDecay, nesterov, false);
    }

    public SGD(
            List<? extends Tensor> params,
            double lr,
            double momentum,
            double dampening,
            double weightDecay,
            boolean nesterov,
            boolean maximize) {
        super(params, defaults(lr, momentum, dampening, weightDecay, nesterov, maximize));
    }

    /**
     * {@code SGD(params, lr=..., momentum=..., nesterov=...)} with PyTorch's keyword arguments:
     * {@code new SGD(params, SGD.options(0.1).momentum(0.9).nesterov(true))}.
     */
    public SGD(List<? extends Tensor> params, Options options) {
        this(
                params,
                options.lr,
                options.momentum,
                options.dampening,
                options.weightDecay,
                options.nesterov,
                options.maximize);
    }

    /** The options with {@code lr} (which PyTorch requires) and PyTorch's defaults for the rest. */
    public static Options options(double lr) {
        return new Options(lr);
    }

    /** SGD's keyword arguments; each setter returns the options, and the unset keep PyTorch's defaults. */
    public static final class Options {
        private final double lr;
        private double momentum;
        private double dampening;
        private double weightDecay;
        private boolean nesterov;
        private boolean maximize;

        private Options(double lr) {
            this.lr = lr;
        }

        public Options momentum(double value) {
            this.momentum = value;
            return this;
        }

        public Options dampening(double value) {
            this.dampening = value;
            return this;
        }

        public Options weightDecay(double value) {
            this.weightDecay = value;
            return this;
        }

        public Options nesterov(boolean value) {
            this.nesterov = value;
            return this;
        }

        public Options maximize(boolean value) {
            this.maximize = value;
            return this;
        }
    }

    private static Map<String, Object> defaults(
            double lr, double momentum, double dampening, double weightDecay, boolean nesterov, boolean maximize) {
        checkArgument(!(lr < 0), () -> "Invalid learning rate: " + SGD.shown(lr));
        checkArgument(!(momentum < 0), () -> "Invalid momentum value: " + SGD.shown(momentum));
        checkArgument(!(weightDecay < 0), () -> "Invalid weight_decay value: " + SGD.shown(weightDecay));
        checkArgument(
                !(nesterov && (momentum <= 0 || dampening != 0)),
                "Nesterov momentum requires a momentum and zero dampening");
        LinkedHashMap<String, Object> d = new LinkedHashMap<>();
        d.put("lr", lr);
        d.put("momentum", number(momentum));
        d.put("dampening", number(dampening));
        d.put("weight_decay", number(weightDecay));
        d.put("nesterov", nesterov);
        d.put("maximize", maximize);
        d.put("foreach", null);
        d.put("differentiable", false);
        return d;
    }

    /** A number in an error text as Python prints what a user typed: {@code -1} for a whole number, else {@code -0.5}. */
    static String shown(double v) {
        return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : PyRepr.ofDouble(v);
    }

    /** Zero as PyTorch's int default ({@code 0}, printed {@code 0}); any other value as a float. */
    static Object number(double v) {
        return v == 0 && Double.doubleToRawLongBits(v) == 0 ? (Object) 0 : (Object) v;
    }

    @Override
    protected void update(ParamGroup group) {
        double lr = group.getDouble("lr");
        double momentum = group.getDouble("momentum");
        double dampening = group.getDouble("dampening");
        double weightDecay = group.getDouble("weight_decay");
        boolean nesterov = group.getBoolean("nesterov");
        boolean maximize = group.getBoolean("maximize");
        for (Tensor p : group.params()) {
            Tensor grad = p.grad();
            if (grad == null) {
                continue;
            }
            Map<String, Object> state = stateFor(p);
            Tensor d = maximize ? grad.neg() : grad;
            if (weightDecay != 0) {
                d = d.add(p, weightDecay);
            }
            Tensor buf = (Tensor) state.get("momentum_buffer");
            if (momentum != 0) {
                if (buf == null) {
                    buf = d.clone();
                } else {
                    buf.mul_(momentum).add_(d, 1 - dampening);
                }
                d = nesterov ? d.add(buf, momentum) : buf;
            }
            p.add_(d, -lr);
            state.put("momentum_buffer", buf);
        }
    }
}
