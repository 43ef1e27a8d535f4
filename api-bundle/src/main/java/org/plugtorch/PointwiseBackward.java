package org.plugtorch;

/**
 * Backward rules of the element-wise functions of one operand. Where the derivative is cheaper from the result
 * ({@code exp}, {@code tanh}, {@code sigmoid}, ...) the result is saved, as PyTorch does.
 */
final class PointwiseBackward {
    private PointwiseBackward() {
    }

    static final class AbsBackward0 extends Node {
        private final SavedTensor self;

        AbsBackward0(Tensor self) {
            super(self);
            this.self = save(self);
        }

        @Override
        protected Tensor[] backward(Tensor grad) {
            return new Tensor[] {grad.mul(self.get().sign())};
        }
    }

    /** {@code sign} is flat almost everywhere. */
    static final class SignBackward0 extends Node {
        SignBackward0(Tensor self) {
            super(self);
        }

        @Override
        protected Tensor[] backward(Tensor grad) {
            return new Tensor[] {Gradients.zeros(grad.shape, grad)};
        }
    }

    /** PyTorch's {@code threshold_backward(grad, result, 0)}: no gradient where the result is not positive. */
    static final class ReluBackward0 extends Node {
        private final SavedTensor result;

        ReluBackward0(Tensor self, Tensor result) {
            super(self);
            this.result = saveOutput(result);
        }

        @Override
        protected Tensor[] backward(Tensor grad) {
            return new Tensor[] {Tensor.where(result.get().le(0.0), Gradients.zero(grad), grad)};
        }
    }

    static final class ExpBackward0 extends Node {
        private final SavedTensor result;

        ExpBackward0(Tensor self, Tensor result) {
            super(self);
            this.result = saveOutput(result);
        }

        @Override
        protected Tensor[] backward(Tensor grad) {
            return new Tensor[] {grad.mul(result.get())};
        }
    }

    static final class LogBackward0 extends Node {
        private final SavedTensor self;

        LogBackward0(Tensor self) {
            super(self);
            this.self = save(self);
        }

        @Override
        protected Tensor[] backward(Tensor grad) {
            return new Tensor[] {grad.div(self.get())};
        }
    }

    static final class SqrtBackward0 extends Node {
        private final SavedTensor result;

        SqrtBackward0(Tensor self, Tensor result) {
            super(self);
            this.result = saveOutput(result);
        }

        @Override
        protected Tensor[] backward(Tensor grad) {
            return new Tensor[] {grad.div(result.get().mul(2.0))};
        }
    }

    static final class RsqrtBackward0 extends Node {
        private final SavedTensor result;

        RsqrtBackward0(Tensor self, Tensor result) {
            super(self);
            this.result = saveOutput(result);
        }

        @Override
        protected Tensor[] backward(Tensor grad) {
            return new Tensor[] {grad.mul(-0.5).mul(result.get().pow(3L))};
        }
    }

    static final class ReciprocalBackward0 extends Node {
        private final SavedTensor result;

        ReciprocalBackward0(Tensor self, Tensor result) {
            super(self);
            this.result = saveOutput(result);
        }

        @Override
        protected Tensor[] backward(Tensor grad) {
            Tensor r = result.get();
            return new Tensor[] {grad.neg().mul(r.mul(r))};
        }
    }

    static final class SinBackward0 extends Node {
        private final SavedTensor self;

        SinBackward0(Tensor self) {
            super(self);
            this.self = save(self);
        }

        @Override
        protected Tensor[] backward(Tensor grad) {
            return new Tensor[] {grad.mul(self.get().cos())};
        }
    }

    static final class CosBackward0 extends Node {
        private final SavedTensor self;

        CosBackward0(Tensor self) {
            super(self);
            this.self = save(self);
        }

        @Override
        protected Tensor[] backward(Tensor grad) {
            return new Tensor[] {grad.mul(self.get().sin().neg())};
        }
    }

    static final class TanhBackward0 extends Node {
        private final SavedTensor result;

        TanhBackward0(Tensor self, Tensor result) {
            super(self);
            this.result = saveOutput(result);
        }

        @Override
        protected Tensor[] backward(Tensor grad) {
            Tensor y = result.get();
            return new Tensor[] {grad.mul(y.mul(y).neg().add(1L))};
        }
    }

    static final class SigmoidBackward0 extends Node {
        private final SavedTensor result;

        SigmoidBackward0(Tensor self, Tensor result) {
            super(self);
            this.result = saveOutput(result);
        }

        @Override
        protected Tensor[] backward(Tensor grad) {
            Tensor y = result.get();
            return new Tensor[] {grad.mul(y.neg().add(1L).mul(y))};
        }
    }
}
