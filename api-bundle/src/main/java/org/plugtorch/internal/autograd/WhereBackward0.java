package org.plugtorch.internal.autograd;

import org.plugtorch.Node;
import org.plugtorch.Tensor;

/** {@code where(condition, self, other)}: each input gets the gradient where it was chosen. */
public final class WhereBackward0 extends Node {
    private final SavedTensor condition;

    public WhereBackward0(Tensor condition, Tensor self, Tensor other) {
        super(self, other);
        this.condition = save(condition);
    }

    @Override
    protected Tensor[] backward(Tensor grad) {
        Tensor c = condition.get();
        Tensor zero = Gradients.zero(grad);
        return new Tensor[] {
            needsInputGrad(0) ? Tensor.where(c, grad, zero) : null,
            needsInputGrad(1) ? Tensor.where(c, zero, grad) : null
        };
    }
}
