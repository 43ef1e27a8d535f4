package org.plugtorch.internal.autograd;

import static org.plugtorch.internal.runtime.Tensors.impl;

import org.plugtorch.Device;
import org.plugtorch.Node;
import org.plugtorch.Tensor;

/**
 * Backward rules of the reductions: the result's gradient is broadcast back over the reduced dimensions, scaled
 * or masked as each reduction requires.
 */
public final class ReductionBackward {
    private ReductionBackward() {}

    /** {@code sum()} ({@code SumBackward0}) and {@code sum(dims, keepdim)} ({@code SumBackward1}). */
    public static class SumBackward extends Node {
        private final String name;
        final long[] inputShape;
        final int[] dims;
        private final boolean keepdim;

        public SumBackward(String name, Tensor self, int[] dims, boolean keepdim) {
            super(self);
            this.name = name;
            this.inputShape = impl(self).shape;
            this.dims = dims.clone();
            this.keepdim = keepdim;
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        protected Tensor[] backward(Tensor grad) {
            return new Tensor[] {
                Gradients.restoreReducedDims(grad, inputShape, dims, keepdim).expand(inputShape)
            };
        }
    }

    /**
     * {@code mean()} ({@code MeanBackward0}) and {@code mean(dims, keepdim)} ({@code MeanBackward1}): the sum's
     * gradient divided by the number of elements each result averaged.
     */
    public static final class MeanBackward extends SumBackward {
        public MeanBackward(String name, Tensor self, int[] dims, boolean keepdim) {
            super(name, self, dims, keepdim);
        }

        @Override
        protected Tensor[] backward(Tensor grad) {
            Tensor g = super.backward(grad)[0];
            return new Tensor[] {g.div((double) Gradients.reducedCount(inputShape, dims))};
        }
    }

    /**
     * {@code prod()}: the product of the other elements, which is {@code result / x} while no element is zero
     * (PyTorch's {@code prod_backward}); with one zero only that element has a gradient, with more none has.
     */
    public static final class ProdBackward0 extends Node {
        private final SavedTensor self;
        private final SavedTensor result;

        public ProdBackward0(Tensor self, Tensor result) {
            super(self);
            this.self = save(self);
            this.result = saveOutput(result);
        }

        @Override
        protected Tensor[] backward(Tensor grad) {
            Tensor x = self.get();
            if (x.dim() == 0) {
                return new Tensor[] {grad};
            }
            Tensor zeroMask = x.eq(0.0);
            long zeros = zeroMask.sum().itemLong();
            if (zeros == 0) {
                return new Tensor[] {grad.mul(result.get().div(x))};
            }
            if (zeros > 1) {
                return new Tensor[] {Gradients.zeros(impl(x).shape, grad)};
            }
            Tensor othersProduct = Tensor.where(zeroMask, Tensor.ones(new long[0], x.dtype(), Device.CPU), x)
                    .prod();
            return new Tensor[] {Tensor.where(zeroMask, grad.mul(othersProduct), Gradients.zero(grad))};
        }
    }

    /** {@code var}: {@code 2 (x - mean) / (n - correction)}, broadcast over the reduced dimensions. */
    public static final class VarBackward0 extends Node {
        private final SavedTensor self;
        private final int[] dims;
        private final long correction;
        private final boolean keepdim;

        public VarBackward0(Tensor self, int[] dims, long correction, boolean keepdim) {
            super(self);
            this.self = save(self);
            this.dims = dims.clone();
            this.correction = correction;
            this.keepdim = keepdim;
        }

        @Override
        protected Tensor[] backward(Tensor grad) {
            return new Tensor[] {varBackward(grad, self.get(), dims, correction, keepdim)};
        }
    }

    static Tensor varBackward(Tensor grad, Tensor x, int[] dims, long correction, boolean keepdim) {
        long n = Gradients.reducedCount(impl(x).shape, dims);
        Tensor g = Gradients.restoreReducedDims(grad, impl(x).shape, dims, keepdim);
        Tensor centred = x.sub(x.mean(dims, true));
        return g.mul(2.0 / (n - correction)).mul(centred);
    }

    /** {@code std}: the variance's rule for {@code grad / (2 std)}, with no gradient where the deviation is zero. */
    public static final class StdBackward0 extends Node {
        private final SavedTensor self;
        private final SavedTensor result;
        private final int[] dims;
        private final long correction;
        private final boolean keepdim;

        public StdBackward0(Tensor self, Tensor result, int[] dims, long correction, boolean keepdim) {
            super(self);
            this.self = save(self);
            this.result = saveOutput(result);
            this.dims = dims.clone();
            this.correction = correction;
            this.keepdim = keepdim;
        }

        @Override
        protected Tensor[] backward(Tensor grad) {
            Tensor std = result.get();
            Tensor gradVar = Tensor.where(std.eq(0.0), Gradients.zero(grad), grad.div(std.mul(2.0)));
            return new Tensor[] {varBackward(gradVar, self.get(), dims, correction, keepdim)};
        }
    }

    /**
     * {@code max()} and {@code min()} of all elements ({@code MaxBackward1}, {@code MinBackward1}): the gradient is
     * shared evenly by the elements equal to the result (NaN ones when the result is NaN).
     */
    public static final class EvenlyDistributedBackward extends Node {
        private final String name;
        private final SavedTensor self;
        private final SavedTensor result;

        public EvenlyDistributedBackward(String name, Tensor self, Tensor result) {
            super(self);
            this.name = name;
            this.self = save(self);
            this.result = saveOutput(result);
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        protected Tensor[] backward(Tensor grad) {
            Tensor x = self.get();
            Tensor value = result.get();
            Tensor mask = Double.isNaN(value.item()) ? x.ne(x) : x.eq(value);
            Tensor share = grad.div(mask.sum().to(grad.dtype()));
            return new Tensor[] {Tensor.where(mask, share, Gradients.zero(grad))};
        }
    }

    /** {@code amax} and {@code amin} over dimensions: ties in each reduced group share its gradient evenly. */
    public static final class AmaxAminBackward extends Node {
        private final String name;
        private final SavedTensor self;
        private final SavedTensor result;
        private final int[] dims;
        private final boolean keepdim;

        public AmaxAminBackward(String name, Tensor self, Tensor result, int[] dims, boolean keepdim) {
            super(self);
            this.name = name;
            this.self = save(self);
            this.result = saveOutput(result);
            this.dims = dims.clone();
            this.keepdim = keepdim;
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        protected Tensor[] backward(Tensor grad) {
            Tensor x = self.get();
            Tensor g = Gradients.restoreReducedDims(grad, impl(x).shape, dims, keepdim);
            Tensor mask = Gradients.restoreReducedDims(result.get(), impl(x).shape, dims, keepdim)
                    .eq(x);
            Tensor count = mask.sum(dims, true).to(grad.dtype());
            return new Tensor[] {g.div(count).mul(mask.to(grad.dtype()))};
        }
    }

    /** {@code logsumexp}: {@code grad * exp(x - result)}. */
    public static final class LogsumexpBackward0 extends Node {
        private final SavedTensor self;
        private final SavedTensor result;
        private final int[] dims;
        private final boolean keepdim;

        public LogsumexpBackward0(Tensor self, Tensor result, int[] dims, boolean keepdim) {
            super(self);
            this.self = save(self);
            this.result = saveOutput(result);
            this.dims = dims.clone();
            this.keepdim = keepdim;
        }

        @Override
        protected Tensor[] backward(Tensor grad) {
            Tensor x = self.get();
            Tensor g = Gradients.restoreReducedDims(grad, impl(x).shape, dims, keepdim);
            Tensor r = Gradients.restoreReducedDims(result.get(), impl(x).shape, dims, keepdim);
            return new Tensor[] {g.mul(x.sub(r).exp())};
        }
    }

    /** {@code softmax}: {@code y * (grad - sum(grad * y))} along the dimension. */
    public static final class SoftmaxBackward0 extends Node {
        private final SavedTensor result;
        private final int dim;

        public SoftmaxBackward0(Tensor self, Tensor result, int dim) {
            super(self);
            this.result = saveOutput(result);
            this.dim = dim;
        }

        @Override
        protected Tensor[] backward(Tensor grad) {
            Tensor y = result.get();
            return new Tensor[] {y.mul(grad.sub(grad.mul(y).sum(new int[] {dim}, true)))};
        }
    }

    /** {@code log_softmax}: {@code grad - exp(y) * sum(grad)} along the dimension. */
    public static final class LogSoftmaxBackward0 extends Node {
        private final SavedTensor result;
        private final int dim;

        public LogSoftmaxBackward0(Tensor self, Tensor result, int dim) {
            super(self);
            this.result = saveOutput(result);
            this.dim = dim;
        }

        @Override
        protected Tensor[] backward(Tensor grad) {
            Tensor y = result.get();
            return new Tensor[] {grad.sub(y.exp().mul(grad.sum(new int[] {dim}, true)))};
        }
    }
}
