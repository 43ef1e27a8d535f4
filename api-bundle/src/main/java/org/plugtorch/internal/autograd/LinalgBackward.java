package org.plugtorch.internal.autograd;

import static org.plugtorch.internal.runtime.Tensors.impl;

import org.plugtorch.Node;
import org.plugtorch.Tensor;
import org.plugtorch.internal.runtime.TensorImpl;
import org.plugtorch.internal.runtime.Views;

/** Backward rules of the matrix products. */
public final class LinalgBackward {
    private LinalgBackward() {}

    /**
     * {@code matmul} in all its forms. PyTorch runs each form as a different operation, and the result's node is
     * named after the last one: {@code DotBackward0} (vector·vector), {@code MvBackward0} (matrix·vector),
     * {@code SqueezeBackward3} (vector·matrix), {@code MmBackward0} (matrix·matrix) and {@code UnsafeViewBackward0}
     * (batched). The rule is one for all: vectors become matrices, the product's gradient is multiplied by the
     * other operand transposed, and broadcast batch dimensions are summed away.
     */
    public static final class MatmulBackward extends Node {
        private final String name;
        private final SavedTensor self;
        private final SavedTensor other;
        private final boolean selfColumnMajor;
        private final boolean otherColumnMajor;
        private final long[] aShape;
        private final long[] bShape;

        public MatmulBackward(Tensor self, Tensor other) {
            super(self, other);
            this.aShape = impl(self).shape;
            this.bShape = impl(other).shape;
            this.name = nameOf(self.dim(), other.dim());
            this.selfColumnMajor = columnMajor(self);
            this.otherColumnMajor = columnMajor(other);
            this.other = !needsInputGrad(0) ? null : save(other);
            this.self = !needsInputGrad(1) ? null : save(self);
        }

        private static String nameOf(int a, int b) {
            if (a == 1 && b == 1) {
                return "DotBackward0";
            }
            if (a == 2 && b == 1) {
                return "MvBackward0";
            }
            if (a == 1 && b == 2) {
                return "SqueezeBackward3";
            }
            return a == 2 && b == 2 ? "MmBackward0" : "UnsafeViewBackward0";
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        protected Tensor[] backward(Tensor grad) {
            if (aShape.length == 2 && bShape.length == 2) {
                return new Tensor[] {
                    other == null ? null : mat1Gradient(grad, other.get(), selfColumnMajor),
                    self == null ? null : mat2Gradient(grad, self.get(), otherColumnMajor)
                };
            }
            Tensor g = grad;
            if (bShape.length == 1) {
                g = Views.unsqueeze(g, g.dim());
            }
            if (aShape.length == 1) {
                g = Views.unsqueeze(g, g.dim() - 1);
            }
            Tensor ga = null;
            Tensor gb = null;
            if (other != null) {
                Tensor b = other.get();
                Tensor b2 = b.dim() == 1 ? Views.unsqueeze(b, 1) : b;
                long[] a2Shape = aShape.length == 1 ? new long[] {1, aShape[0]} : aShape;
                ga = Gradients.sumTo(g.matmul(Views.transpose(b2, -1, -2)), a2Shape)
                        .reshape(aShape);
            }
            if (self != null) {
                Tensor a = self.get();
                Tensor a2 = a.dim() == 1 ? Views.unsqueeze(a, 0) : a;
                long[] b2Shape = bShape.length == 1 ? new long[] {bShape[0], 1} : bShape;
                gb = Gradients.sumTo(Views.transpose(a2, -1, -2).matmul(g), b2Shape)
                        .reshape(bShape);
            }
            return new Tensor[] {ga, gb};
        }
    }

    /** {@code addmm(input, mat1, mat2)}: {@code input + mat1 @ mat2}, the fused form {@code Linear} uses. */
    public static final class AddmmBackward0 extends Node {
        private final SavedTensor mat1;
        private final SavedTensor mat2;
        private final boolean mat1ColumnMajor;
        private final boolean mat2ColumnMajor;

        public AddmmBackward0(Tensor input, Tensor mat1, Tensor mat2) {
            super(input, mat1, mat2);
            this.mat2 = !needsInputGrad(1) ? null : save(mat2);
            this.mat1 = !needsInputGrad(2) ? null : save(mat1);
            this.mat1ColumnMajor = columnMajor(mat1);
            this.mat2ColumnMajor = columnMajor(mat2);
        }

        @Override
        protected Tensor[] backward(Tensor grad) {
            return new Tensor[] {
                !needsInputGrad(0) ? null : grad,
                mat2 == null ? null : mat1Gradient(grad, mat2.get(), mat1ColumnMajor),
                mat1 == null ? null : mat2Gradient(grad, mat1.get(), mat2ColumnMajor)
            };
        }
    }

    /**
     * True for a matrix laid out column by column (a transposed row-major matrix, such as {@code weight.t()}), as
     * PyTorch tests it when it records a matrix product.
     */
    static boolean columnMajor(Tensor m) {
        TensorImpl i = impl(m);
        return i.dim() == 2 && i.strides[0] == 1 && i.strides[1] == i.shape[0];
    }

    /**
     * PyTorch's {@code mm_mat1_backward}: {@code grad @ mat2ᵀ}, computed as {@code (mat2 @ gradᵀ)ᵀ} when mat1 was
     * column-major, so that the gradient has mat1's layout (and a transposed view of it, such as the weight behind
     * {@code weight.t()}, is contiguous, with no strided copy when it is accumulated).
     */
    static Tensor mat1Gradient(Tensor grad, Tensor mat2, boolean mat1ColumnMajor) {
        if (mat1ColumnMajor) {
            return Views.transpose(mat2.matmul(Views.transpose(grad, 0, 1)), 0, 1);
        }
        return grad.matmul(Views.transpose(mat2, 0, 1));
    }

    /** PyTorch's {@code mm_mat2_backward}: {@code mat1ᵀ @ grad}, as {@code (gradᵀ @ mat1)ᵀ} when mat2 was column-major. */
    static Tensor mat2Gradient(Tensor grad, Tensor mat1, boolean mat2ColumnMajor) {
        if (mat2ColumnMajor) {
            return Views.transpose(Views.transpose(grad, 0, 1).matmul(mat1), 0, 1);
        }
        return Views.transpose(mat1, 0, 1).matmul(grad);
    }
}
