package org.plugtorch.launcher.train;

import static org.plugtorch.spi.Preconditions.checkArgument;

import java.util.Arrays;
import org.plugtorch.Device;
import org.plugtorch.Tensor;

/**
 * A labelled data set held on the host, as a data loader holds it: {@code n} samples of {@code features} float32
 * values and int64 class labels. Batches are assembled on the host and moved to the training device, which needs
 * no gather kernel on the device.
 */
public final class Dataset {
    private final float[] inputs;
    private final long[] labels;
    private final int features;

    /** {@code inputs} holds the samples row by row ({@code labels.length * features} values). */
    public Dataset(float[] inputs, long[] labels, int features) {
        checkArgument(
                inputs.length == labels.length * features,
                () -> labels.length + " samples of " + features + " features need " + labels.length * features
                        + " values, got " + inputs.length);
        this.inputs = inputs.clone();
        this.labels = labels.clone();
        this.features = features;
    }

    public int size() {
        return labels.length;
    }

    public int features() {
        return features;
    }

    /** The number of classes: one more than the largest label. */
    public int classes() {
        return (int) Arrays.stream(labels).max().orElse(-1) + 1;
    }

    /** Every sample, {@code [n, features]} float32, on {@code device}. */
    public Tensor inputs(Device device) {
        return Tensor.fromArray(inputs, labels.length, features).to(device);
    }

    /** Every label, {@code [n]} int64, on {@code device}. */
    public Tensor labels(Device device) {
        return Tensor.fromArray(labels, labels.length).to(device);
    }

    /** The samples at {@code indices}, {@code [k, features]}, on {@code device}. */
    public Tensor inputs(int[] indices, Device device) {
        float[] out = new float[indices.length * features];
        for (int i = 0; i < indices.length; i++) {
            System.arraycopy(inputs, indices[i] * features, out, i * features, features);
        }
        return Tensor.fromArray(out, indices.length, features).to(device);
    }

    /** The labels at {@code indices}, {@code [k]}, on {@code device}. */
    public Tensor labels(int[] indices, Device device) {
        long[] out = new long[indices.length];
        for (int i = 0; i < indices.length; i++) {
            out[i] = labels[indices[i]];
        }
        return Tensor.fromArray(out, indices.length).to(device);
    }

    /** Sample {@code i}'s features (a copy). */
    public float[] sample(int i) {
        return Arrays.copyOfRange(inputs, i * features, (i + 1) * features);
    }

    public long label(int i) {
        return labels[i];
    }
}
