package org.plugtorch;

/**
 * Where the gradient of a leaf that requires grad ends: its {@code grad}. The first gradient is stored as a copy
 * of its own (a gradient may be shared by several paths of the graph), unless the backward pass vouches that
 * nothing else holds it, in which case it is kept as it is (PyTorch steals a gradient whose only reference is the
 * engine's, the same way); later ones are added to it in place, so
 * gradients accumulate across backward passes and the {@code grad} object stays the same. The leaf is the truth
 * about where its gradient lives: a leaf moved since the graph was recorded (by {@code Module.to}, or evacuated
 * when its backend left) receives its gradient on its current device and dtype.
 */
final class AccumulateGrad extends Node {
    private final Tensor variable;

    AccumulateGrad(Tensor variable) {
        super(Long.MAX_VALUE);
        this.variable = variable;
    }

    @Override
    protected Tensor[] backward(Tensor grad) {
        accumulate(grad, false);
        return new Tensor[0];
    }

    /**
     * Adds {@code grad} to the leaf's gradient; {@code owned} says that the backward pass made {@code grad} and
     * hands over its only reference, so that a first gradient of the leaf's layout can be kept without a copy.
     */
    void accumulate(Tensor grad, boolean owned) {
        Tensor incoming = Ops.prepare(grad, variable.dtype(), variable.device());
        Tensor current = variable.grad();
        if (current == null) {
            // a converted or moved gradient is a new tensor nobody else holds either
            boolean keep = (owned || incoming != grad) && incoming.offset == 0 && incoming.isContiguous()
                    && incoming.numel() == incoming.storage.size(); // the whole of its storage, in order
            variable.setGrad(keep ? incoming : Ops.contiguous(incoming));
        } else {
            current.add_(Ops.prepare(incoming, current.dtype(), current.device()));
        }
    }
}
