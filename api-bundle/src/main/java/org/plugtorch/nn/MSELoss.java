package org.plugtorch.nn;

import org.plugtorch.Tensor;

/** The squared error {@code (input - target)²}, averaged by default: PyTorch's {@code MSELoss}. */
public class MSELoss extends Loss {
    /** {@code MSELoss(reduction='mean')}. */
    public MSELoss() {
        this(Reduction.MEAN);
    }

    public MSELoss(Reduction reduction) {
        super(reduction);
    }

    @Override
    public Tensor forward(Tensor input, Tensor target) {
        return Functional.mseLoss(input, target, reduction);
    }
}
