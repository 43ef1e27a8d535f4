package org.plugtorch.nn;

import static org.plugtorch.spi.Preconditions.checkArgument;

import org.plugtorch.DType;
import org.plugtorch.Device;
import org.plugtorch.Tensor;
import org.plugtorch.internal.runtime.PyRepr;

/**
 * Batch normalisation over (N, C) or (N, C, L) inputs, exactly as PyTorch's {@code BatchNorm1d}: parameters
 * {@code weight} (ones) and {@code bias} (zeros), buffers {@code running_mean} (zeros), {@code running_var} (ones)
 * and {@code num_batches_tracked} (int64 zero).
 *
 * <p>In training each channel is normalised with the batch's mean and <em>biased</em> variance, and the running
 * statistics move towards the batch's: {@code running = (1 - momentum) * running + momentum * batch}, with the
 * <em>unbiased</em> variance; with {@code momentum == null} the factor is {@code 1 / num_batches_tracked}, a
 * cumulative average. {@code num_batches_tracked} counts the training batches. In evaluation the running statistics
 * normalise and nothing changes. {@code affine == false} leaves {@code weight} and {@code bias} as null slots;
 * {@code trackRunningStats == false} leaves the three buffers as null slots and always uses the batch's statistics.
 * The running statistics are updated outside autograd and are never trained.
 */
public class BatchNorm1d extends Module {
    public final long numFeatures;
    public final double eps;
    /** The running statistics' update factor, or null for a cumulative average. */
    public final Double momentum;

    public final boolean affine;
    public final boolean trackRunningStats;
    public final Parameter weight;
    public final Parameter bias;
    public final Tensor runningMean;
    public final Tensor runningVar;
    public final Tensor numBatchesTracked;

    /** {@code BatchNorm1d(numFeatures, eps=1e-5, momentum=0.1, affine=true, trackRunningStats=true)}. */
    public BatchNorm1d(long numFeatures) {
        this(numFeatures, 1e-5, 0.1, true, true);
    }

    /**
     * With PyTorch's keyword arguments: {@code new BatchNorm1d(4, BatchNorm1d.options().eps(1e-3).affine(false))}.
     */
    public BatchNorm1d(long numFeatures, Options options) {
        this(numFeatures, options.eps, options.momentum, options.affine, options.trackRunningStats);
    }

    /** The options with PyTorch's defaults: {@code eps=1e-5, momentum=0.1, affine=True, track_running_stats=True}. */
    public static Options options() {
        return new Options();
    }

    /** Batch normalisation's keyword arguments; each setter returns the options, the unset keep the defaults. */
    public static final class Options {
        private double eps = 1e-5;
        private Double momentum = 0.1;
        private boolean affine = true;
        private boolean trackRunningStats = true;

        private Options() {}

        public Options eps(double value) {
            this.eps = value;
            return this;
        }

        /** The running statistics' update factor; null for a cumulative average ({@code momentum=None}). */
        public Options momentum(Double value) {
            this.momentum = value;
            return this;
        }

        public Options affine(boolean value) {
            this.affine = value;
            return this;
        }

        public Options trackRunningStats(boolean value) {
            this.trackRunningStats = value;
            return this;
        }
    }

    public BatchNorm1d(long numFeatures, double eps, Double momentum, boolean affine, boolean trackRunningStats) {
        this.numFeatures = numFeatures;
        this.eps = eps;
        this.momentum = momentum;
        this.affine = affine;
        this.trackRunningStats = trackRunningStats;
        long[] shape = {numFeatures};
        if (affine) {
            weight = parameter("weight", Tensor.ones(shape, DType.FLOAT32, Device.CPU));
            bias = parameter("bias", Tensor.zeros(shape, DType.FLOAT32, Device.CPU));
        } else {
            weight = registerParameter("weight", (Parameter) null);
            bias = registerParameter("bias", (Parameter) null);
        }
        if (trackRunningStats) {
            runningMean = buffer("running_mean", Tensor.zeros(shape, DType.FLOAT32, Device.CPU));
            runningVar = buffer("running_var", Tensor.ones(shape, DType.FLOAT32, Device.CPU));
            numBatchesTracked = buffer("num_batches_tracked", Tensor.zeros(new long[0], DType.INT64, Device.CPU));
        } else {
            runningMean = registerBuffer("running_mean", null);
            runningVar = registerBuffer("running_var", null);
            numBatchesTracked = registerBuffer("num_batches_tracked", null);
        }
    }

    /** PyTorch's {@code _BatchNorm.forward}, step by step (the batch counter moves before the batch is checked). */
    @Override
    public Tensor forward(Tensor input) {
        checkArgument(
                input.dim() == 2 || input.dim() == 3, () -> "expected 2D or 3D input (got " + input.dim() + "D input)");
        Tensor mean = slot("running_mean");
        Tensor var = slot("running_var");
        Tensor batches = slot("num_batches_tracked");
        double factor = momentum == null ? 0.0 : momentum;
        if (isTraining() && trackRunningStats && batches != null) {
            batches.add_(1L);
            if (momentum == null) {
                factor = 1.0 / batches.itemLong();
            }
        }
        boolean useBatchStats = isTraining() || (mean == null && var == null);
        boolean passStats = !isTraining() || trackRunningStats;
        return Functional.batchNorm(
                input,
                passStats ? mean : null,
                passStats ? var : null,
                slot("weight"),
                slot("bias"),
                useBatchStats,
                factor,
                eps);
    }

    private Tensor slot(String name) {
        return (Tensor) getAttr(name);
    }

    @Override
    public String extraRepr() {
        return numFeatures + ", eps=" + PyRepr.ofDouble(eps) + ", momentum="
                + (momentum == null ? "None" : PyRepr.ofDouble(momentum)) + ", affine=" + PyRepr.ofBoolean(affine)
                + ", track_running_stats=" + PyRepr.ofBoolean(trackRunningStats);
    }
}
