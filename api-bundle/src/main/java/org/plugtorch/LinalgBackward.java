package org.plugtorch;

/** Backward rules of the matrix products. */
final class LinalgBackward {
    private LinalgBackward() {
    }

    /**
     * {@code matmul} in all its forms. PyTorch runs each form as a different operation, and the result's node is
     * named after the last one: {@code DotBackward0} (vector·vector), {@code MvBackward0} (matrix·vector),
     * {@code SqueezeBackward3} (vector·matrix), {@code MmBackward0} (matrix·matrix) and {@code UnsafeViewBackward0}
     * (batched). The rule is one for all: vectors become matrices, the product's gradient is multiplied by the
     * other operand transposed, and broadcast batch dimensions are summed away.
     */
    static final class MatmulBackward extends Node {
        private final String name;
        private final SavedTensor self;
        private final SavedTensor other;

        MatmulBackward(Tensor self, Tensor other) {
            super(self, other);
            this.name = nameOf(self.dim(), other.dim());
            this.other = next[0] == null ? null : save(other);
            this.self = next[1] == null ? null : save(self);
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
            long[] aShape = inputShapes[0];
            long[] bShape = inputShapes[1];
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
                ga = Gradients.sumTo(g.matmul(Views.transpose(b2, -1, -2)), a2Shape).reshape(aShape);
            }
            if (self != null) {
                Tensor a = self.get();
                Tensor a2 = a.dim() == 1 ? Views.unsqueeze(a, 0) : a;
                long[] b2Shape = bShape.length == 1 ? new long[] {bShape[0], 1} : bShape;
                gb = Gradients.sumTo(Views.transpose(a2, -1, -2).matmul(g), b2Shape).reshape(bShape);
            }
            return new Tensor[] {ga, gb};
        }
    }

    /** {@code addmm(input, mat1, mat2)}: {@code input + mat1 @ mat2}, the fused form {@code Linear} uses. */
    static final class AddmmBackward0 extends Node {
        private final SavedTensor mat1;
        private final SavedTensor mat2;

        AddmmBackward0(Tensor input, Tensor mat1, Tensor mat2) {
            super(input, mat1, mat2);
            this.mat2 = next[1] == null ? null : save(mat2);
            this.mat1 = next[2] == null ? null : save(mat1);
        }

        @Override
        protected Tensor[] backward(Tensor grad) {
            return new Tensor[] {
                next[0] == null ? null : grad,
                mat2 == null ? null : grad.matmul(Views.transpose(mat2.get(), 0, 1)),
                mat1 == null ? null : Views.transpose(mat1.get(), 0, 1).matmul(grad)
            };
        }
    }
}
