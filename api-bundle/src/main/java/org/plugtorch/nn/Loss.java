package org.plugtorch.nn;

import org.plugtorch.Tensor;

/**
 * A loss: a module of two inputs, the prediction and the target, with a {@link Reduction} (PyTorch's
 * {@code _Loss}). Call {@link #forward(Tensor, Tensor)}; the one-input {@code forward} of {@link Module} does not
 * apply.
 */
public abstract class Loss extends Module {
    public final Reduction reduction;

    protected Loss(Reduction reduction) {
        this.reduction = reduction;
    }

    /** The loss of {@code input} against {@code target}, reduced as configured. */
    public abstract Tensor forward(Tensor input, Tensor target);
}
