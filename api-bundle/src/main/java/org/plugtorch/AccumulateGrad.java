package org.plugtorch;

/**
 * Where the gradient of a leaf that requires grad ends: its {@code grad}. The first gradient is stored as a copy
 * of its own (a gradient may be shared by several paths of the graph); later ones are added to it in place, so
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
        Tensor incoming = Ops.prepare(grad, variable.dtype(), variable.device());
        Tensor current = variable.grad();
        if (current == null) {
            variable.setGrad(Ops.contiguous(incoming));
        } else {
            current.add_(Ops.prepare(incoming, current.dtype(), current.device()));
        }
        return new Tensor[0];
    }
}
