package org.plugtorch.nn;

import org.plugtorch.Node;
import org.plugtorch.Tensor;

/**
 * {@code embedding}: each weight row gets the sum of the gradients of the positions that picked it, the transposed
 * one-hot product of the forward pass; the padding row gets none.
 */
final class EmbeddingBackward0 extends Node {
    private final SavedTensor oneHot;
    private final Long paddingIdx;

    EmbeddingBackward0(Tensor weight, Tensor oneHot, Long paddingIdx) {
        super(weight);
        this.oneHot = save(oneHot);
        this.paddingIdx = paddingIdx;
    }

    @Override
    protected Tensor[] backward(Tensor grad) {
        Tensor encoding = oneHot.get();
        Tensor rows = grad.reshape(-1, grad.size(-1));
        Tensor out = encoding.t().matmul(rows);
        if (paddingIdx != null) {
            out.select(0, paddingIdx).zero_();
        }
        return new Tensor[] {out};
    }
}
