package org.plugtorch.nn;

import org.plugtorch.Node;
import org.plugtorch.Tensor;

/**
 * Backward rules of batch and layer normalisation, in closed form (PyTorch's {@code batchnorm_backward} and
 * {@code layer_norm_backward}) rather than through the dozen operations of the forward pass.
 */
final class NormalizationBackward {
    private NormalizationBackward() {}

    /**
     * The gradient of {@code xhat = (x - mean) * invstd} when mean and variance are the statistics of x itself,
     * over {@code n} elements per statistic: {@code invstd / n * (n g - sum(g) - xhat * sum(g * xhat))}.
     */
    static Tensor normalizedInputGradient(Tensor gradXhat, Tensor xhat, Tensor invstd, int[] dims, long n) {
        Tensor sumG = gradXhat.sum(dims, true);
        Tensor sumGX = gradXhat.mul(xhat).sum(dims, true);
        return gradXhat.mul((double) n).sub(sumG).sub(xhat.mul(sumGX)).mul(invstd.div((double) n));
    }

    /**
     * {@code batch_norm} over (N, C) or (N, C, L): statistics per channel. In training the mean and variance are the
     * batch's own, so the input's gradient has the closed form above; in evaluation they are constants.
     */
    static final class NativeBatchNormBackward0 extends Node {
        private final SavedTensor input;
        private final SavedTensor weight;
        private final SavedTensor mean;
        private final SavedTensor invstd;
        private final boolean training;
        private final int[] dims;

        /** {@code mean} and {@code invstd} are shaped to broadcast against the input ([1, C] or [1, C, 1]). */
        NativeBatchNormBackward0(
                Tensor input, Tensor weight, Tensor bias, Tensor mean, Tensor invstd, boolean training, int[] dims) {
            super(input, weight, bias);
            this.input = save(input);
            this.weight = weight == null ? null : save(weight);
            this.mean = save(mean);
            this.invstd = save(invstd);
            this.training = training;
            this.dims = dims;
        }

        @Override
        protected Tensor[] backward(Tensor grad) {
            Tensor x = input.get();
            Tensor istd = invstd.get();
            Tensor xhat = x.sub(mean.get()).mul(istd);
            long[] statShape = istd.shape();
            Tensor w = weight == null ? null : weight.get().view(statShape);
            Tensor gradXhat = w == null ? grad : grad.mul(w);
            Tensor gx = null;
            if (next(0)) {
                long n = x.numel() / x.size(1);
                gx = training ? normalizedInputGradient(gradXhat, xhat, istd, dims, n) : gradXhat.mul(istd);
            }
            Tensor gw = next(1) ? grad.mul(xhat).sum(dims, false) : null;
            Tensor gb = next(2) ? grad.sum(dims, false) : null;
            return new Tensor[] {gx, gw, gb};
        }

        private boolean next(int input) {
            return nextFunctions().get(input) != null;
        }
    }

    /** {@code layer_norm} over the trailing dimensions {@code dims}: statistics per leading index. */
    static final class NativeLayerNormBackward0 extends Node {
        private final SavedTensor input;
        private final SavedTensor weight;
        private final SavedTensor mean;
        private final SavedTensor invstd;
        private final int[] dims;
        private final int[] leading;

        NativeLayerNormBackward0(Tensor input, Tensor weight, Tensor bias, Tensor mean, Tensor invstd, int[] dims) {
            super(input, weight, bias);
            this.input = save(input);
            this.weight = weight == null ? null : save(weight);
            this.mean = save(mean);
            this.invstd = save(invstd);
            this.dims = dims;
            this.leading = new int[input.dim() - dims.length];
            for (int i = 0; i < leading.length; i++) {
                leading[i] = i;
            }
        }

        @Override
        protected Tensor[] backward(Tensor grad) {
            Tensor x = input.get();
            Tensor istd = invstd.get();
            Tensor xhat = x.sub(mean.get()).mul(istd);
            Tensor gradXhat = weight == null ? grad : grad.mul(weight.get());
            long n = 1;
            for (int d : dims) {
                n *= x.size(d);
            }
            Tensor gx = nextFunctions().get(0) == null ? null : normalizedInputGradient(gradXhat, xhat, istd, dims, n);
            Tensor gw = nextFunctions().get(1) == null ? null : sumLeading(grad.mul(xhat));
            Tensor gb = nextFunctions().get(2) == null ? null : sumLeading(grad);
            return new Tensor[] {gx, gw, gb};
        }

        private Tensor sumLeading(Tensor t) {
            return leading.length == 0 ? t : t.sum(leading, false);
        }
    }
}
