package org.plugtorch.internal.autograd;

import static org.plugtorch.internal.runtime.Tensors.impl;

import org.plugtorch.Tensor;
import org.plugtorch.internal.runtime.Ops;
import org.plugtorch.internal.runtime.TensorImpl;

/**
 * Where the gradient of a leaf that requires grad ends: its {@code grad}. The first gradient is stored as a copy
 * of its own (a gradient may be shared by several paths of the graph), unless the backward pass vouches that
 * nothing else holds it, in which case it is kept as it is (PyTorch steals a gradient whose only reference is the
 * engine's, the same way); later ones are added to it in place, so
 * gradients accumulate across backward passes and the {@code grad} object stays the same. The leaf is the truth
 * about where its gradient lives: a leaf moved since the graph was recorded (by {@code Module.to}, or evacuated
 * when its backend left) receives its gradient on its current device and dtype.
 */
final class AccumulateGrad extends org.plugtorch.Node {
    private final Tensor variable;

    AccumulateGrad(Tensor variable) {
        this.variable = variable;
    }

    @Override
    protected Tensor[] backward(Tensor grad) {
        accumulate(grad, false);
        return new Tensor[0];
    }

    /**
     * Adds {@code grad} to the leaf's gradient; {@code owned} says that the backward pass made {@code grad} and
     * hands over its only reference, so that a first gradient of the leaf's layout can be kept without a copy. The
     * leaf's device is read inside the operation that moves the gradient there, so a backend leaving in between
     * sends the gradient to the CPU with the leaf.
     */
    void accumulate(Tensor grad, boolean owned) {
        Tensor incoming = Ops.prepareLike(grad, variable);
        Tensor current = variable.grad();
        if (current == null) {
            // a converted or moved gradient is a new tensor nobody else holds either
            TensorImpl in = impl(incoming);
            boolean keep = (owned || incoming != grad)
                    && in.offset == 0
                    && in.isContiguous()
                    && in.numel() == in.storage.size(); // the whole of its storage, in order
            variable.setGrad(keep ? incoming : Ops.contiguous(incoming));
        } else {
            current.add_(Ops.prepareLike(incoming, current));
        }
    }
}
