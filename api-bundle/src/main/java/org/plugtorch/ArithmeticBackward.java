package org.plugtorch;

/**
 * Backward rules of the element-wise operations of two operands (and their in-place forms). Gradients come out
 * in the broadcast shape; the engine sums them back to each input's shape.
 */
final class ArithmeticBackward {
    private ArithmeticBackward() {
    }

    /** {@code self + alpha * other}. */
    static final class AddBackward0 extends Node {
        private final double alpha;

        AddBackward0(Tensor self, Tensor other, double alpha) {
            super(self, other);
            this.alpha = alpha;
        }

        @Override
        protected Tensor[] backward(Tensor grad) {
            return new Tensor[] {grad, next[1] == null ? null : alpha == 1 ? grad : grad.mul(alpha)};
        }
    }

    /** {@code self - alpha * other}. */
    static final class SubBackward0 extends Node {
        private final double alpha;

        SubBackward0(Tensor self, Tensor other, double alpha) {
            super(self, other);
            this.alpha = alpha;
        }

        @Override
        protected Tensor[] backward(Tensor grad) {
            return new Tensor[] {grad, next[1] == null ? null : alpha == 1 ? grad.neg() : grad.mul(-alpha)};
        }
    }

    /** {@code self * other}; in place, self's old values are kept as a copy, since the operation overwrites them. */
    static final class MulBackward0 extends Node {
        private final SavedTensor self;
        private final SavedTensor other;

        MulBackward0(Tensor self, Tensor other, boolean inPlace) {
            super(self, other);
            this.other = next[0] == null ? null : save(other);
            this.self = next[1] == null ? null : save(inPlace ? Ops.contiguous(self) : self);
        }

        @Override
        protected Tensor[] backward(Tensor grad) {
            return new Tensor[] {
                other == null ? null : grad.mul(other.get()),
                self == null ? null : grad.mul(self.get())
            };
        }
    }

    /** {@code self / other}. */
    static final class DivBackward0 extends Node {
        private final SavedTensor self;
        private final SavedTensor other;

        DivBackward0(Tensor self, Tensor other, boolean inPlace) {
            super(self, other);
            this.other = save(other);
            this.self = next[1] == null ? null : save(inPlace ? Ops.contiguous(self) : self);
        }

        @Override
        protected Tensor[] backward(Tensor grad) {
            Tensor o = other.get();
            return new Tensor[] {
                next[0] == null ? null : grad.div(o),
                self == null ? null : grad.neg().mul(self.get().div(o).div(o))
            };
        }
    }

    /** {@code self ** exponent} for a number exponent (and {@code square}, as PyTorch computes it). */
    static final class PowBackward0 extends Node {
        private final SavedTensor self;
        private final double exponent;

        PowBackward0(Tensor self, double exponent) {
            super(self);
            this.self = save(self);
            this.exponent = exponent;
        }

        @Override
        protected Tensor[] backward(Tensor grad) {
            Tensor x = self.get();
            if (exponent == 0) {
                return new Tensor[] {Gradients.zeros(x.shape, grad)};
            }
            return new Tensor[] {grad.mul(x.pow(exponent - 1).mul(exponent))};
        }
    }

    /** {@code self ** exponent} for a tensor exponent. */
    static final class PowBackward1 extends Node {
        private final SavedTensor self;
        private final SavedTensor exponent;
        private final SavedTensor result;

        PowBackward1(Tensor self, Tensor exponent, Tensor result) {
            super(self, exponent);
            this.self = save(self);
            this.exponent = save(exponent);
            this.result = next[1] == null ? null : saveOutput(result);
        }

        @Override
        protected Tensor[] backward(Tensor grad) {
            Tensor x = self.get();
            Tensor e = exponent.get();
            Tensor zero = Gradients.zero(grad);
            Tensor gx = next[0] == null ? null
                    : Tensor.where(e.eq(0.0), zero, grad.mul(e.mul(x.pow(e.sub(1L)))));
            Tensor ge = null;
            if (result != null) {
                Tensor zeroBaseNonNegativeExponent = x.eq(0.0).logicalAnd(e.ge(0.0));
                ge = grad.mul(Tensor.where(zeroBaseNonNegativeExponent, zero, result.get().mul(x.log())));
            }
            return new Tensor[] {gx, ge};
        }
    }

    /** {@code maximum} and {@code minimum}: the larger (smaller) input gets the gradient; ties share it. */
    static final class ExtremumBackward extends Node {
        private final String name;
        private final boolean maximum;
        private final SavedTensor self;
        private final SavedTensor other;

        ExtremumBackward(Tensor self, Tensor other, boolean maximum) {
            super(self, other);
            this.name = maximum ? "MaximumBackward0" : "MinimumBackward0";
            this.maximum = maximum;
            this.self = save(self);
            this.other = save(other);
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        protected Tensor[] backward(Tensor grad) {
            Tensor a = self.get();
            Tensor b = other.get();
            Tensor zero = Gradients.zero(grad);
            Tensor shared = Tensor.where(a.eq(b), grad.div(2.0), grad);
            Tensor selfLoses = maximum ? a.lt(b) : a.gt(b);
            Tensor otherLoses = maximum ? a.gt(b) : a.lt(b);
            return new Tensor[] {
                next[0] == null ? null : Tensor.where(selfLoses, zero, shared),
                next[1] == null ? null : Tensor.where(otherLoses, zero, shared)
            };
        }
    }

    /** {@code clamp(min, max)}: the gradient passes where the input was inside the bounds (bounds included). */
    static final class ClampBackward1 extends Node {
        private final SavedTensor self;
        private final double min;
        private final double max;

        ClampBackward1(Tensor self, double min, double max) {
            super(self);
            this.self = save(self);
            this.min = min;
            this.max = max;
        }

        @Override
        protected Tensor[] backward(Tensor grad) {
            Tensor x = self.get();
            return new Tensor[] {Tensor.where(x.ge(min).logicalAnd(x.le(max)), grad, Gradients.zero(grad))};
        }
    }

    static final class ClampMinBackward0 extends Node {
        private final SavedTensor self;
        private final double min;

        ClampMinBackward0(Tensor self, double min) {
            super(self);
            this.self = save(self);
            this.min = min;
        }

        @Override
        protected Tensor[] backward(Tensor grad) {
            return new Tensor[] {Tensor.where(self.get().ge(min), grad, Gradients.zero(grad))};
        }
    }

    static final class NegBackward0 extends Node {
        NegBackward0(Tensor self) {
            super(self);
        }

        @Override
        protected Tensor[] backward(Tensor grad) {
            return new Tensor[] {grad.neg()};
        }
    }

    /** {@code where(condition, self, other)}: each input gets the gradient where it was chosen. */
    static final class WhereBackward0 extends Node {
        private final SavedTensor condition;

        WhereBackward0(Tensor condition, Tensor self, Tensor other) {
            super(self, other);
            this.condition = save(condition);
        }

        @Override
        protected Tensor[] backward(Tensor grad) {
            Tensor c = condition.get();
            Tensor zero = Gradients.zero(grad);
            return new Tensor[] {
                next[0] == null ? null : Tensor.where(c, grad, zero),
                next[1] == null ? null : Tensor.where(c, zero, grad)
            };
        }
    }
}
