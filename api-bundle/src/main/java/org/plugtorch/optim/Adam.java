package org.plugtorch.optim;

import static org.plugtorch.spi.Preconditions.checkArgument;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.plugtorch.DType;
import org.plugtorch.Device;
import org.plugtorch.Tensor;
import org.plugtorch.internal.runtime.PyRepr;

/**
 * Adam, PyTorch's {@code torch.optim.Adam}, with its defaults ({@code lr=1e-3}, {@code betas=(0.9, 0.999)},
 * {@code eps=1e-8}, {@code weight_decay=0}, {@code amsgrad=False}) and its update, per parameter with a gradient
 * {@code g} at step {@code t}:
 * <pre>
 * g = g (or -g when maximizing) + weight_decay * p
 * m = beta1 * m + (1 - beta1) * g
 * v = beta2 * v + (1 - beta2) * g²          (AMSGrad: vmax = max(vmax, v), used below instead of v)
 * p = p - lr / (1 - beta1^t) * m / (sqrt(v) / sqrt(1 - beta2^t) + eps)
 * </pre>
 * State per parameter: {@code step} (a float32 CPU scalar, as in PyTorch), {@code exp_avg}, {@code exp_avg_sq}, and
 * {@code max_exp_avg_sq} with AMSGrad.
 */
public class Adam extends Optimizer {

    /** {@code Adam(params)} with PyTorch's defaults. */
    public Adam(List<? extends Tensor> params) {
        this(params, 1e-3);
    }

    public Adam(List<? extends Tensor> params, double lr) {
        this(params, lr, 0.9, 0.999, 1e-8, 0, false);
    }

    public Adam(
            List<? extends Tensor> params,
            double lr,
            double beta1,
            double beta2,
            double eps,
            double weightDecay,
            boolean amsgrad) {
        this(params, lr, beta1, beta2, eps, weightDecay, amsgrad, false);
    }

    public Adam(
            List<? extends Tensor> params,
            double lr,
            double beta1,
            double beta2,
            double eps,
            double weightDecay,
            boolean amsgrad,
            boolean maximize) {
        super(params, defaults(lr, beta1, beta2, eps, weightDecay, amsgrad, maximize));
    }

    /**
     * {@code Adam(params, lr=..., betas=..., ...)} with PyTorch's keyword arguments:
     * {@code new Adam(params, Adam.options().lr(0.01).amsgrad(true))}.
     */
    public Adam(List<? extends Tensor> params, Options options) {
        this(
                params,
                options.lr,
                options.beta1,
                options.beta2,
                options.eps,
                options.weightDecay,
                options.amsgrad,
                options.maximize);
    }

    Adam(List<? extends Tensor> params, Map<String, Object> defaults) {
        super(params, defaults);
    }

    /** Adam's options with PyTorch's defaults. */
    public static Options options() {
        return new Options(0);
    }

    /** Adam's and AdamW's keyword arguments; each setter returns the options, and the unset keep the defaults. */
    public static final class Options {
        double lr = 1e-3;
        double beta1 = 0.9;
        double beta2 = 0.999;
        double eps = 1e-8;
        double weightDecay;
        boolean amsgrad;
        boolean maximize;

        Options(double weightDecay) {
            this.weightDecay = weightDecay;
        }

        public Options lr(double value) {
            this.lr = value;
            return this;
        }

        /** {@code betas=(beta1, beta2)}. */
        public Options betas(double b1, double b2) {
            this.beta1 = b1;
            this.beta2 = b2;
            return this;
        }

        public Options eps(double value) {
            this.eps = value;
            return this;
        }

        public Options weightDecay(double value) {
            this.weightDecay = value;
            return this;
        }

        public Options amsgrad(boolean value) {
            this.amsgrad = value;
            return this;
        }

        public Options maximize(boolean value) {
            this.maximize = value;
            return this;
        }
    }

    static void check(double lr, double beta1, double beta2, double eps, double weightDecay) {
        checkArgument(lr >= 0, () -> "Invalid learning rate: " + SGD.shown(lr));
        checkArgument(eps >= 0, () -> "Invalid epsilon value: " + SGD.shown(eps));
        checkArgument(beta1 >= 0 && beta1 < 1, () -> "Invalid beta parameter at index 0: " + PyRepr.ofDouble(beta1));
        checkArgument(beta2 >= 0 && beta2 < 1, () -> "Invalid beta parameter at index 1: " + PyRepr.ofDouble(beta2));
        checkArgument(weightDecay >= 0, () -> "Invalid weight_decay value: " + SGD.shown(weightDecay));
    }

    private static Map<String, Object> defaults(
            double lr, double beta1, double beta2, double eps, double weightDecay, boolean amsgrad, boolean maximize) {
        check(lr, beta1, beta2, eps, weightDecay);
        LinkedHashMap<String, Object> d = new LinkedHashMap<>();
        d.put("lr", lr);
        d.put("betas", List.of(beta1, beta2));
        d.put("eps", eps);
        d.put("weight_decay", SGD.number(weightDecay));
        d.put("amsgrad", amsgrad);
        d.put("maximize", maximize);
        d.put("foreach", null);
        d.put("capturable", false);
        d.put("differentiable", false);
        d.put("fused", false);
        return d;
    }

    @Override
    protected void update(ParamGroup group) {
        for (Tensor p : group.params()) {
            if (p.grad() != null) {
                step(group, p, decoupledWeightDecay());
            }
        }
    }

    /** False for Adam (the decay joins the gradient); AdamW decays the parameter itself. */
    boolean decoupledWeightDecay() {
        return false;
    }

    /**
     * One Adam step of {@code p}; with {@code decoupled} (AdamW) the weight decay shrinks the parameter directly
     * instead of joining the gradient.
     */
    final void step(ParamGroup group, Tensor p, boolean decoupled) {
        List<?> betas = (List<?>) group.get("betas");
        double beta1 = ((Number) betas.get(0)).doubleValue();
        double beta2 = ((Number) betas.get(1)).doubleValue();
        double lr = group.getDouble("lr");
        double eps = group.getDouble("eps");
        double weightDecay = group.getDouble("weight_decay");
        boolean amsgrad = group.getBoolean("amsgrad");
        boolean maximize = group.getBoolean("maximize");
        Map<String, Object> state = stateFor(p);
        if (state.isEmpty()) {
            state.put("step", Tensor.zeros(new long[0], DType.FLOAT32, Device.CPU));
            state.put("exp_avg", Tensor.zerosLike(p));
            state.put("exp_avg_sq", Tensor.zerosLike(p));
            if (amsgrad) {
                state.put("max_exp_avg_sq", Tensor.zerosLike(p));
            }
        }
        Tensor grad = maximize ? p.grad().neg() : p.grad();
        Tensor stepCount = (Tensor) state.get("step");
        Tensor expAvg = (Tensor) state.get("exp_avg");
        Tensor expAvgSq = (Tensor) state.get("exp_avg_sq");
        stepCount.add_(1.0);
        if (decoupled) {
            p.mul_(1 - lr * weightDecay);
        } else if (weightDecay != 0) {
            grad = grad.add(p, weightDecay);
        }
        expAvg.mul_(beta1).add_(grad, 1 - beta1);
        expAvgSq.mul_(beta2).add_(grad.mul(grad), 1 - beta2);
        double step = stepCount.item();
        double biasCorrection1 = 1 - Math.pow(beta1, step);
        double biasCorrection2 = 1 - Math.pow(beta2, step);
        double stepSize = lr / biasCorrection1;
        double biasCorrection2Sqrt = Math.sqrt(biasCorrection2);
        Tensor second = expAvgSq;
        if (amsgrad) {
            Tensor max = (Tensor) state.get("max_exp_avg_sq");
            max.copy_(max.maximum(expAvgSq));
            second = max;
        }
        Tensor denom = second.sqrt().div(biasCorrection2Sqrt).add_(eps);
        p.add_(expAvg.div(denom), -stepSize);
    }
}
