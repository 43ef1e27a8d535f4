package org.plugtorch.nn;

import org.plugtorch.Tensor;

/**
 * The cross entropy of class indices under unnormalised scores: {@code nll_loss(log_softmax(input), target)}, as
 * PyTorch's {@code CrossEntropyLoss} computes it for an (N, C) input and an (N) int64 target (or (C) and a
 * zero-dimensional target). Targets equal to {@code ignoreIndex} (-100 by default) are left out; optional class
 * weights, registered as the buffer {@code weight} as in PyTorch, weigh each sample by its target's class, and the
 * mean divides by their sum. Probability targets and label smoothing are not supported.
 */
public class CrossEntropyLoss extends Loss {
    public final long ignoreIndex;

    /** {@code CrossEntropyLoss(weight=None, ignore_index=-100, reduction='mean')}. */
    public CrossEntropyLoss() {
        this(null, -100, Reduction.MEAN);
    }

    public CrossEntropyLoss(Tensor weight, long ignoreIndex, Reduction reduction) {
        super(reduction);
        this.ignoreIndex = ignoreIndex;
        registerBuffer("weight", weight);
    }

    @Override
    public Tensor forward(Tensor input, Tensor target) {
        return Functional.crossEntropy(input, target, (Tensor) getAttr("weight"), ignoreIndex, reduction);
    }
}
