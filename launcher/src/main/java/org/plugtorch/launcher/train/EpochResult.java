package org.plugtorch.launcher.train;

/** What one epoch of training gave: the mean loss of its batches, and the accuracy on the data set afterwards. */
public final class EpochResult {
    private final int epoch;
    private final double loss;
    private final double accuracy;

    EpochResult(int epoch, double loss, double accuracy) {
        this.epoch = epoch;
        this.loss = loss;
        this.accuracy = accuracy;
    }

    /** The epoch's number, from 1. */
    public int epoch() {
        return epoch;
    }

    /** The mean training loss over the epoch's batches. */
    public double loss() {
        return loss;
    }

    /** The fraction of samples classified correctly, in evaluation mode, after the epoch. */
    public double accuracy() {
        return accuracy;
    }

    @Override
    public String toString() {
        return String.format(java.util.Locale.ROOT, "epoch %d: loss %.4f, accuracy %.3f", epoch, loss, accuracy);
    }
}
