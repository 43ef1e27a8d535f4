package org.plugtorch.optim;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.plugtorch.Tensor;

/**
 * Adam with decoupled weight decay, PyTorch's {@code torch.optim.AdamW}: each step first shrinks the parameter,
 * {@code p = p * (1 - lr * weight_decay)}, then takes Adam's step without the decay in the gradient. Defaults as
 * Adam's, but {@code weight_decay=1e-2}.
 */
public class AdamW extends Adam {

    /** {@code AdamW(params)} with PyTorch's defaults. */
    public AdamW(List<? extends Tensor> params) {
        this(params, 1e-3);
    }

    public AdamW(List<? extends Tensor> params, double lr) {
        this(params, lr, 0.9, 0.999, 1e-8, 1e-2, false);
    }

    public AdamW(
            List<? extends Tensor> params,
            double lr,
            double beta1,
            double beta2,
            double eps,
            double weightDecay,
            boolean amsgrad) {
        this(params, lr, beta1, beta2, eps, weightDecay, amsgrad, false);
    }

    public AdamW(
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

    /** With PyTorch's keyword arguments: {@code new AdamW(params, AdamW.options().lr(0.01).weightDecay(0.05))}. */
    public AdamW(List<? extends Tensor> params, Adam.Options options) {
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

    /** AdamW's options with PyTorch's defaults ({@code weight_decay=1e-2}, where Adam's is 0). */
    public static Adam.Options options() {
        return new Adam.Options(1e-2);
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
        d.put("foreach", null);
        d.put("maximize", maximize);
        d.put("capturable", false);
        return d;
    }

    @Override
    boolean decoupledWeightDecay() {
        return true;
    }
}
