package org.plugtorch.nn;

import static org.plugtorch.spi.Preconditions.checkArgument;
import static org.plugtorch.spi.Preconditions.checkIndex;

import org.plugtorch.DType;
import org.plugtorch.Device;
import org.plugtorch.Generator;
import org.plugtorch.GradMode;
import org.plugtorch.Tensor;
import org.plugtorch.internal.autograd.PointwiseOp;
import org.plugtorch.internal.runtime.Ops;
import org.plugtorch.internal.runtime.PyRepr;

/**
 * The layers' computations as functions, PyTorch's {@code torch.nn.functional}: each takes its state as arguments,
 * so that a module's {@code forward} is one call. Every function runs on the inputs' device, through ordinary tensor
 * operations, and records the node PyTorch records ({@code AddmmBackward0}, {@code NativeBatchNormBackward0},
 * {@code NllLossBackward0}, ...).
 */
public final class Functional {
    private Functional() {}

    // ---- linear ----

    /**
     * {@code y = x·Wᵀ + b}, as PyTorch computes it: a matrix input with a bias is one {@code addmm}; a batch of
     * matrices is folded into rows first, so errors name the 2-d shapes.
     */
    public static Tensor linear(Tensor input, Tensor weight, Tensor bias) {
        checkArgument(input.dtype() == weight.dtype(), "mat1 and mat2 must have the same dtype");
        if (input.dim() == 2 && bias != null) {
            return Tensor.addmm(bias, input, weight.t());
        }
        if (input.dim() <= 2) {
            Tensor y = input.matmul(weight.t());
            return bias == null ? y : y.add(bias);
        }
        long[] shape = input.shape();
        Tensor rows = input.reshape(-1, shape[shape.length - 1]);
        Tensor y = bias == null ? rows.matmul(weight.t()) : Tensor.addmm(bias, rows, weight.t());
        shape[shape.length - 1] = weight.size(0);
        return y.view(shape);
    }

    // ---- activations ----

    /** {@code F.gelu(input)}: {@code x * Φ(x)}, with the normal distribution's exact CDF. */
    public static Tensor gelu(Tensor input) {
        return gelu(input, "none");
    }

    /** {@code F.gelu(input, approximate=...)}: {@code "none"} (exact) or {@code "tanh"} (the tanh approximation). */
    public static Tensor gelu(Tensor input, String approximate) {
        PointwiseOp op;
        if ("none".equals(approximate)) {
            op = PointwiseOp.GELU;
        } else if ("tanh".equals(approximate)) {
            op = PointwiseOp.GELU_TANH;
        } else {
            throw new IllegalArgumentException("approximate argument must be either none or tanh.");
        }
        return op.apply(floatingOnly(input, "GeluKernelImpl"));
    }

    /** {@code F.silu(input)}: {@code x * sigmoid(x)}. */
    public static Tensor silu(Tensor input) {
        return PointwiseOp.SILU.apply(floatingOnly(input, "silu_cpu"));
    }

    /** {@code F.leaky_relu(input, negative_slope)}: {@code x} where positive, {@code negative_slope * x} elsewhere. */
    public static Tensor leakyRelu(Tensor input, double negativeSlope) {
        return PointwiseOp.LEAKY_RELU.apply(floatingOnly(input, "leaky_relu_cpu"), negativeSlope);
    }

    /** {@code F.leaky_relu(input)} with PyTorch's slope, 0.01. */
    public static Tensor leakyRelu(Tensor input) {
        return leakyRelu(input, 0.01);
    }

    /** {@code F.hardtanh(input, min_val, max_val)}: clamps to the bounds; no gradient at or beyond them. */
    public static Tensor hardtanh(Tensor input, double minVal, double maxVal) {
        return PointwiseOp.HARDTANH.apply(input, minVal, maxVal);
    }

    /** {@code F.relu6(input)}: {@code hardtanh(input, 0, 6)}, as PyTorch computes (and records) it. */
    public static Tensor relu6(Tensor input) {
        return hardtanh(input, 0, 6);
    }

    /** PyTorch's kernels for these activations exist for floating point only; so do ours, with its error. */
    private static Tensor floatingOnly(Tensor input, String kernel) {
        checkArgument(
                input.isFloatingPoint(),
                () -> "\"" + kernel + "\" not implemented for '" + Ops.scalarTypeName(input.dtype()) + "'");
        return input;
    }

    // ---- dropout ----

    /**
     * Zeroes each element with probability {@code p} and scales the others by {@code 1 / (1 - p)}, in training; the
     * input itself otherwise. The mask is drawn from {@code generator} (the default one when null) on the host, as
     * PyTorch's CPU {@code bernoulli_(1 - p)} draws it (one 53-bit uniform per element, kept when below
     * {@code 1 - p}), so a seed gives PyTorch's mask on every device.
     */
    public static Tensor dropout(Tensor input, double p, boolean training, Generator generator) {
        checkProbability(p);
        if (p == 0 || !training || input.numel() == 0) {
            return input;
        }
        if (p == 1) {
            return input.mul(Tensor.zeros(new long[0], input.dtype(), Device.CPU));
        }
        Generator g = generator == null ? Generator.defaultGenerator() : generator;
        int n = Math.toIntExact(input.numel());
        double[] u = new double[n];
        g.uniform(u, 0, 1);
        boolean[] keep = new boolean[n];
        for (int i = 0; i < n; i++) {
            keep[i] = u[i] < 1 - p;
        }
        Tensor noise = Tensor.fromArray(keep, input.shape())
                .to(input.dtype())
                .div_(1 - p)
                .to(input);
        return input.mul(noise);
    }

    static void checkProbability(double p) {
        checkArgument(
                !(p < 0 || p > 1),
                () -> "dropout probability has to be between 0 and 1, but got " + PyRepr.ofDouble(p));
    }

    // ---- normalisation ----

    /**
     * PyTorch's {@code batch_norm} over (N, C) or (N, C, L): in training, normalises with the batch's statistics
     * (biased variance) and, when running statistics are given, updates them in place with
     * {@code running = (1 - momentum) * running + momentum * batch} (the unbiased variance); otherwise normalises
     * with the running statistics. Then scales by {@code weight} and shifts by {@code bias} when given.
     */
    public static Tensor batchNorm(
            Tensor input,
            Tensor runningMean,
            Tensor runningVar,
            Tensor weight,
            Tensor bias,
            boolean training,
            double momentum,
            double eps) {
        if (training) {
            verifyBatchSize(input.shape());
        }
        long channels = input.size(1);
        checkFeatures("running_mean", runningMean, channels, training);
        checkFeatures("running_var", runningVar, channels, training);
        checkFeatures("weight", weight, channels, true);
        checkFeatures("bias", bias, channels, true);
        int[] dims = input.dim() == 2 ? new int[] {0} : new int[] {0, 2};
        long[] statShape = input.dim() == 2 ? new long[] {1, channels} : new long[] {1, channels, 1};
        Tensor mean;
        Tensor invstd;
        Tensor out;
        GradMode scope = GradMode.noGrad();
        try {
            if (training) {
                mean = input.mean(dims, true);
                Tensor centred = input.sub(mean);
                Tensor var = centred.mul(centred).mean(dims, true);
                invstd = var.add(eps).rsqrt();
                if (runningMean != null) {
                    long n = input.numel() / channels;
                    runningMean.mul_(1 - momentum).add_(mean.view(channels).mul(momentum));
                    runningVar
                            .mul_(1 - momentum)
                            .add_(var.view(channels).mul((double) n / (n - 1)).mul(momentum));
                }
            } else {
                mean = runningMean.view(statShape);
                invstd = runningVar.view(statShape).add(eps).rsqrt();
            }
            out = input.sub(mean).mul(invstd);
            if (weight != null) {
                out = out.mul(weight.view(statShape));
            }
            if (bias != null) {
                out = out.add(bias.view(statShape));
            }
        } finally {
            scope.close();
        }
        if (GradMode.isRecording(input, weight, bias)) {
            out = new NormalizationBackward.NativeBatchNormBackward0(input, weight, bias, mean, invstd, training, dims)
                    .attach(out);
        }
        return out;
    }

    /** PyTorch's {@code _verify_batch_size}: statistics of a single value per channel are meaningless. */
    static void verifyBatchSize(long[] size) {
        long values = size[0];
        for (int i = 2; i < size.length; i++) {
            values *= size[i];
        }
        checkArgument(
                values != 1,
                () -> "Expected more than 1 value per channel when training, got input size " + Module.torchSize(size));
    }

    private static void checkFeatures(String name, Tensor t, long channels, boolean optional) {
        if (t == null) {
            checkArgument(optional, () -> name + " must be defined in evaluation mode");
            return;
        }
        checkArgument(t.numel() == channels, () -> name + " should contain " + channels + " elements not " + t.numel());
    }

    /**
     * PyTorch's {@code layer_norm}: normalises over the trailing dimensions {@code normalizedShape} (biased variance),
     * then scales and shifts element-wise by {@code weight} and {@code bias} (of that shape) when given.
     */
    public static Tensor layerNorm(Tensor input, long[] normalizedShape, Tensor weight, Tensor bias, double eps) {
        long[] shape = input.shape();
        int k = normalizedShape.length;
        boolean matches = shape.length >= k;
        for (int i = 0; matches && i < k; i++) {
            matches = shape[shape.length - k + i] == normalizedShape[i];
        }
        checkArgument(
                matches,
                () -> "Given normalized_shape=" + list(normalizedShape)
                        + ", expected input with shape [*" + trailing(normalizedShape) + "], but got input of size"
                        + list(shape));
        int[] dims = new int[k];
        for (int i = 0; i < k; i++) {
            dims[i] = shape.length - k + i;
        }
        Tensor mean;
        Tensor invstd;
        Tensor out;
        GradMode scope = GradMode.noGrad();
        try {
            mean = input.mean(dims, true);
            Tensor centred = input.sub(mean);
            invstd = centred.mul(centred).mean(dims, true).add(eps).rsqrt();
            out = centred.mul(invstd);
            if (weight != null) {
                out = out.mul(weight);
            }
            if (bias != null) {
                out = out.add(bias);
            }
        } finally {
            scope.close();
        }
        if (GradMode.isRecording(input, weight, bias)) {
            out = new NormalizationBackward.NativeLayerNormBackward0(input, weight, bias, mean, invstd, dims)
                    .attach(out);
        }
        return out;
    }

    private static String list(long[] shape) {
        StringBuilder sb = new StringBuilder("[");
        for (int i = 0; i < shape.length; i++) {
            sb.append(i == 0 ? "" : ", ").append(shape[i]);
        }
        return sb.append(']').toString();
    }

    private static String trailing(long[] shape) {
        StringBuilder sb = new StringBuilder();
        for (long d : shape) {
            sb.append(", ").append(d);
        }
        return sb.toString();
    }

    // ---- embedding ----

    /**
     * Rows of {@code weight} picked by integer {@code indices}: the result has the indices' shape plus the row
     * length. Computed as a product of the indices' one-hot encoding with the weight (the backend SPI has no
     * gather kernel), so it costs {@code indices.numel() * weight.size(0)} memory for the encoding. The row at
     * {@code paddingIdx} (when not null) gets no gradient.
     */
    public static Tensor embedding(Tensor indices, Tensor weight, Long paddingIdx) {
        checkArgument(
                indices.dtype() == DType.INT64 || indices.dtype() == DType.INT32,
                () -> "Expected tensor for argument #1 'indices' to have one of the following "
                        + "scalar types: Long, Int; but got torch."
                        + indices.dtype().legacyTypeName()
                        + " instead (while checking arguments for embedding)");
        long rows = weight.size(0);
        checkIndex(
                !(indices.numel() > 0
                        && (indices.min().itemLong() < 0 || indices.max().itemLong() >= rows)),
                "index out of range in self");
        Tensor out;
        Tensor oneHot;
        GradMode scope = GradMode.noGrad();
        try {
            oneHot = oneHot(indices.reshape(-1), rows, weight.dtype());
            long[] outShape = append(indices.shape(), weight.size(1));
            out = oneHot.matmul(weight).view(outShape);
        } finally {
            scope.close();
        }
        if (GradMode.isRecording(weight)) {
            out = new EmbeddingBackward0(weight, oneHot, paddingIdx).attach(out);
        }
        return out;
    }

    /** {@code [n, classes]} of {@code dtype}: 1 where the column is the index, 0 elsewhere (none for other values). */
    static Tensor oneHot(Tensor flatIndices, long classes, DType dtype) {
        return oneHotMask(flatIndices, classes).to(dtype);
    }

    /** {@code [n, classes]} bool: true where the column is the index. */
    private static Tensor oneHotMask(Tensor flatIndices, long classes) {
        Tensor columns = Tensor.arange(classes).to(flatIndices);
        return flatIndices.unsqueeze(1).eq(columns);
    }

    private static long[] append(long[] shape, long last) {
        long[] out = java.util.Arrays.copyOf(shape, shape.length + 1);
        out[shape.length] = last;
        return out;
    }

    // ---- losses ----

    /** {@code (input - target)²}, reduced; input and target broadcast against each other. */
    public static Tensor mseLoss(Tensor input, Tensor target, Reduction reduction) {
        Tensor out;
        Tensor diff;
        GradMode scope = GradMode.noGrad();
        try {
            diff = input.sub(target);
            out = reduce(diff.mul(diff), reduction);
        } finally {
            scope.close();
        }
        if (GradMode.isRecording(input, target)) {
            out = new LossBackward.MseLossBackward0(input, target, diff, reduction).attach(out);
        }
        return out;
    }

    private static Tensor reduce(Tensor losses, Reduction reduction) {
        switch (reduction) {
            case MEAN:
                return losses.mean();
            case SUM:
                return losses.sum();
            default:
                return losses;
        }
    }

    /**
     * The negative log-likelihood of class indices {@code target} under log-probabilities {@code input}, of shape
     * (N, C) with target (N), or (C) with a zero-dimensional target. Targets equal to {@code ignoreIndex} count
     * for nothing; {@code weight} (C, or null) weighs each class, and the mean divides by the total weight of the
     * counted targets, as PyTorch's does.
     */
    public static Tensor nllLoss(Tensor input, Tensor target, Tensor weight, long ignoreIndex, Reduction reduction) {
        boolean single = input.dim() == 1;
        checkArgument(
                input.dim() == 1 || input.dim() == 2,
                () -> "input tensor should be 1D or 2D, got " + input.dim() + "D (class "
                        + "probabilities over more dimensions are not supported)");
        checkArgument(
                target.dtype() == DType.INT64,
                () -> "expected scalar type Long but found "
                        + target.dtype().legacyTypeName().replace("Tensor", ""));
        Tensor logProbs = single ? input.unsqueeze(0) : input;
        Tensor labels = single ? target.reshape(1) : target;
        checkArgument(
                single || (target.dim() == 1 && target.size(0) == input.size(0)),
                () -> "Expected input batch_size (" + input.size(0) + ") to match target batch_size ("
                        + (target.dim() == 0 ? 1 : target.size(0)) + ").");
        long classes = logProbs.size(1);
        checkTargets(labels, classes, ignoreIndex);
        Tensor out;
        Tensor picked;
        Tensor rowWeights;
        Tensor scale;
        GradMode scope = GradMode.noGrad();
        try {
            // an ignored target picks no class at all; a target outside [0, C) matches no column of its own accord
            Tensor counted = ignoreIndex >= 0 && ignoreIndex < classes
                    ? Tensor.where(labels.eq(Tensor.scalar(ignoreIndex)), Tensor.scalar(-1L), labels)
                    : labels;
            Tensor hits = oneHotMask(counted, classes);
            Tensor zero = Tensor.zeros(new long[0], logProbs.dtype(), Device.CPU);
            Tensor losses;
            if (weight == null) {
                // every counted row weighs 1: the weights are the one-hot itself, and a log-probability times 1 is
                // itself
                picked = hits.to(logProbs.dtype());
                rowWeights = null;
                losses = Tensor.where(hits, logProbs, zero).sum(1, false).neg();
            } else {
                Tensor oneHot = hits.to(logProbs.dtype());
                rowWeights = oneHot.matmul(weight);
                picked = oneHot.mul(rowWeights.unsqueeze(1));
                losses = Tensor.where(picked.ne(0.0), logProbs, zero)
                        .mul(picked)
                        .sum(1, false)
                        .neg();
            }
            switch (reduction) {
                case MEAN:
                    // with no weights, the total weight is the count of counted rows (exact in float up to 2^24)
                    scale = rowWeights == null ? picked.sum() : rowWeights.sum();
                    out = losses.sum().div(scale);
                    break;
                case SUM:
                    scale = null;
                    out = losses.sum();
                    break;
                default:
                    scale = null;
                    out = single ? losses.reshape() : losses;
            }
        } finally {
            scope.close();
        }
        if (GradMode.isRecording(input)) {
            out = new LossBackward.NllLossBackward0(input, picked, scale, reduction, single).attach(out);
        }
        return out;
    }

    private static void checkTargets(Tensor labels, long classes, long ignoreIndex) {
        long[] values = labels.toLongArray();
        for (long t : values) {
            checkIndex(t == ignoreIndex || (t >= 0 && t < classes), () -> "Target " + t + " is out of bounds.");
        }
    }

    /** {@code nllLoss(logSoftmax(input))} over the class dimension (1, or 0 for a single sample). */
    public static Tensor crossEntropy(
            Tensor input, Tensor target, Tensor weight, long ignoreIndex, Reduction reduction) {
        return nllLoss(input.logSoftmax(input.dim() == 1 ? 0 : 1), target, weight, ignoreIndex, reduction);
    }

    /** {@code crossEntropy} with PyTorch's defaults: no class weights, {@code ignore_index=-100}, mean. */
    public static Tensor crossEntropy(Tensor input, Tensor target) {
        return crossEntropy(input, target, null, -100, Reduction.MEAN);
    }
}
