package org.plugtorch.internal.autograd;

import static org.plugtorch.spi.Preconditions.checkState;

import org.plugtorch.Node;
import org.plugtorch.Tensor;
import org.plugtorch.internal.runtime.Ops;

/**
 * The node of every element-wise operation: named from its {@link PointwiseOp} row ({@code ExpBackward0}), it
 * saves what the row's derivatives read for the inputs that need a gradient, and runs those derivatives.
 */
final class PointwiseNode extends Node implements PointwiseOp.Values {
    private final PointwiseOp op;
    private final SavedTensor self;
    private final SavedTensor other;
    private final SavedTensor result;
    private final double[] scalars;

    /**
     * {@code result} is null for an in-place operation, whose node is made before the kernel runs: self is then
     * saved as a copy, since the kernel overwrites it.
     */
    PointwiseNode(PointwiseOp op, Tensor self, Tensor other, double[] scalars, Tensor result, boolean inPlace) {
        super(op.arity == 1 ? new Tensor[] {self} : new Tensor[] {self, other});
        this.op = op;
        this.scalars = scalars;
        int reads = 0;
        for (int i = 0; i < op.arity; i++) {
            reads |= needsInputGrad(i) ? op.reads[i] : 0;
        }
        this.self = (reads & PointwiseOp.Saved.SELF) == 0 ? null : save(inPlace ? Ops.contiguous(self) : self);
        this.other = (reads & PointwiseOp.Saved.OTHER) == 0 ? null : save(other);
        checkState(
                (reads & PointwiseOp.Saved.RESULT) == 0 || result != null,
                () -> op + " reads its result, which an in-place form does not keep");
        this.result = (reads & PointwiseOp.Saved.RESULT) == 0 ? null : saveOutput(result);
    }

    @Override
    public String name() {
        return op.nodeName;
    }

    @Override
    protected Tensor[] backward(Tensor grad) {
        Tensor[] out = new Tensor[op.arity];
        for (int i = 0; i < out.length; i++) {
            PointwiseOp.Derivative d = op.derivatives[i];
            out[i] = d == null || !needsInputGrad(i) ? null : d.of(grad, this);
        }
        return out;
    }

    @Override
    public Tensor self() {
        return self.get();
    }

    @Override
    public Tensor other() {
        return other.get();
    }

    @Override
    public Tensor result() {
        return result.get();
    }

    @Override
    public double scalar(int i) {
        return scalars[i];
    }
}
