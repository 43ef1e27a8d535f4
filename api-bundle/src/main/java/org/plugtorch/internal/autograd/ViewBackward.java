package org.plugtorch.internal.autograd;

import static org.plugtorch.internal.runtime.Tensors.impl;

import org.plugtorch.Node;
import org.plugtorch.Tensor;
import org.plugtorch.internal.runtime.Ops;
import org.plugtorch.internal.runtime.Shapes;
import org.plugtorch.internal.runtime.Views;

/**
 * Backward rules of the view operations: each maps the view's gradient back to the shape of the tensor it views.
 * They keep shapes and indices only, never tensors.
 */
public final class ViewBackward {
    private ViewBackward() {}

    /**
     * Views that only change the shape: {@code view}, {@code reshape} (a view, or a copy's {@code _unsafe_view}),
     * {@code squeeze} and {@code flatten}. PyTorch names each differently; the rule is one reshape back.
     */
    public static final class Reshape extends Node {
        private final String name;
        private final long[] inputShape;

        public Reshape(String name, Tensor self) {
            super(self);
            this.name = name;
            this.inputShape = impl(self).shape;
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        protected Tensor[] backward(Tensor grad) {
            return new Tensor[] {grad.reshape(inputShape)};
        }
    }

    public static final class TransposeBackward0 extends Node {
        private final int dim0;
        private final int dim1;

        public TransposeBackward0(Tensor self, int dim0, int dim1) {
            super(self);
            this.dim0 = dim0;
            this.dim1 = dim1;
        }

        @Override
        protected Tensor[] backward(Tensor grad) {
            return new Tensor[] {Views.transpose(grad, dim0, dim1)};
        }
    }

    /** {@code t()}: a transpose of a matrix, the tensor itself below two dimensions. */
    public static final class TBackward0 extends Node {
        public TBackward0(Tensor self) {
            super(self);
        }

        @Override
        protected Tensor[] backward(Tensor grad) {
            return new Tensor[] {grad.dim() < 2 ? grad : Views.transpose(grad, 0, 1)};
        }
    }

    public static final class PermuteBackward0 extends Node {
        private final int[] inverse;

        public PermuteBackward0(Tensor self, int[] dims) {
            super(self);
            inverse = new int[dims.length];
            for (int i = 0; i < dims.length; i++) {
                inverse[Shapes.wrapDim(dims[i], dims.length)] = i;
            }
        }

        @Override
        protected Tensor[] backward(Tensor grad) {
            return new Tensor[] {Views.permute(grad, inverse)};
        }
    }

    public static final class UnsqueezeBackward0 extends Node {
        private final int dim;

        public UnsqueezeBackward0(Tensor self, int dim) {
            super(self);
            this.dim = Shapes.wrapDim(dim, self.dim() + 1);
        }

        @Override
        protected Tensor[] backward(Tensor grad) {
            return new Tensor[] {Views.squeeze(grad, dim)};
        }
    }

    /** {@code expand}: every copy of an element contributes to its gradient. */
    public static final class ExpandBackward0 extends Node {
        private final long[] inputShape;

        public ExpandBackward0(Tensor self) {
            super(self);
            this.inputShape = impl(self).shape;
        }

        @Override
        protected Tensor[] backward(Tensor grad) {
            return new Tensor[] {Gradients.sumTo(grad, inputShape)};
        }
    }

    /** {@code slice} and {@code narrow}: the gradient lands in its place in zeros of the input's shape. */
    public static final class SliceBackward0 extends Node {
        private final long[] inputShape;
        private final int dim;
        private final long start;
        private final long end;
        private final long step;

        public SliceBackward0(Tensor self, int dim, long start, long end, long step) {
            super(self);
            this.inputShape = impl(self).shape;
            this.dim = dim;
            this.start = start;
            this.end = end;
            this.step = step;
        }

        @Override
        protected Tensor[] backward(Tensor grad) {
            Tensor out = Gradients.zeros(inputShape, grad);
            Ops.copyInto(Views.slice(out, dim, start, end, step), grad);
            return new Tensor[] {out};
        }
    }

    public static final class SelectBackward0 extends Node {
        private final long[] inputShape;
        private final int dim;
        private final long index;

        public SelectBackward0(Tensor self, int dim, long index) {
            super(self);
            this.inputShape = impl(self).shape;
            this.dim = dim;
            this.index = index;
        }

        @Override
        protected Tensor[] backward(Tensor grad) {
            Tensor out = Gradients.zeros(inputShape, grad);
            Ops.copyInto(Views.select(out, dim, index), grad);
            return new Tensor[] {out};
        }
    }

    /** {@code t[()]}: the same elements under another tensor object. */
    public static final class AliasBackward0 extends Node {
        public AliasBackward0(Tensor self) {
            super(self);
        }

        @Override
        protected Tensor[] backward(Tensor grad) {
            return new Tensor[] {grad};
        }
    }
}
