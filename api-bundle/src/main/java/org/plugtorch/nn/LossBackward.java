package org.plugtorch.nn;

import org.plugtorch.Node;
import org.plugtorch.Tensor;

/** Backward rules of the losses, in closed form. */
final class LossBackward {
    private LossBackward() {}

    /** The gradient of a loss over elements, scaled for the reduction: {@code grad} spread evenly for the mean. */
    static Tensor reducedGradient(Tensor grad, long count, Reduction reduction) {
        return reduction == Reduction.MEAN ? grad.div((double) count) : grad;
    }

    /** {@code mse_loss}: {@code 2 (input - target)} times the incoming gradient; the target gets its negative. */
    static final class MseLossBackward0 extends Node {
        private final SavedTensor diff;
        private final Reduction reduction;

        MseLossBackward0(Tensor input, Tensor target, Tensor diff, Reduction reduction) {
            super(input, target);
            this.diff = save(diff);
            this.reduction = reduction;
        }

        @Override
        protected Tensor[] backward(Tensor grad) {
            Tensor d = diff.get();
            Tensor g = reducedGradient(grad, d.numel(), reduction).mul(2.0).mul(d);
            return new Tensor[] {
                nextFunctions().get(0) == null ? null : g, nextFunctions().get(1) == null ? null : g.neg()
            };
        }
    }

    /**
     * {@code nll_loss}: minus the picked log-probability's weight times the incoming gradient, divided by the total
     * weight for the mean. {@code picked} holds each row's class weight at its target (zero elsewhere and on
     * ignored rows).
     */
    static final class NllLossBackward0 extends Node {
        private final SavedTensor picked;
        private final SavedTensor totalWeight;
        private final Reduction reduction;
        private final boolean single;

        NllLossBackward0(Tensor input, Tensor picked, Tensor totalWeight, Reduction reduction, boolean single) {
            super(input);
            this.picked = save(picked);
            this.totalWeight = totalWeight == null ? null : save(totalWeight);
            this.reduction = reduction;
            this.single = single;
        }

        @Override
        protected Tensor[] backward(Tensor grad) {
            Tensor p = picked.get();
            Tensor g;
            switch (reduction) {
                case MEAN:
                    g = grad.div(totalWeight.get());
                    break;
                case SUM:
                    g = grad;
                    break;
                default:
                    g = grad.reshape(-1, 1);
            }
            Tensor out = p.mul(g).neg();
            return new Tensor[] {single ? out.reshape(-1) : out};
        }
    }
}
