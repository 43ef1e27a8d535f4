package org.plugtorch.launcher.train;

import java.util.ArrayList;
import java.util.List;
import org.plugtorch.Device;
import org.plugtorch.Generator;
import org.plugtorch.Tensor;
import org.plugtorch.nn.CrossEntropyLoss;
import org.plugtorch.nn.Loss;
import org.plugtorch.nn.Module;
import org.plugtorch.optim.Optimizer;

/**
 * The usual training loop for a classifier: per epoch, the samples in a shuffled order, in mini-batches, each one
 * {@code zeroGrad}, forward in training mode, cross-entropy loss, {@code backward}, {@code step}; then the accuracy
 * over the whole data set in evaluation mode without a graph. The model must be on the device already; batches
 * are moved there. A last batch of a single sample is left out (batch normalisation cannot train on it).
 */
public final class ClassifierTraining {
    /** Hears the loop's progress: after every batch (for a progress bar) and after every epoch. */
    public interface Listener {
        default void batchDone(int epoch, int batch, int batches, double loss) {}

        default void epochDone(EpochResult result) {}
    }

    private final Module model;
    private final Optimizer optimizer;
    private final Loss criterion;
    private final Device device;

    /** A loop over {@code model} (on {@code device}) with {@code optimizer} and a cross-entropy loss. */
    public ClassifierTraining(Module model, Optimizer optimizer, Device device) {
        this(model, optimizer, new CrossEntropyLoss(), device);
    }

    public ClassifierTraining(Module model, Optimizer optimizer, Loss criterion, Device device) {
        this.model = model;
        this.optimizer = optimizer;
        this.criterion = criterion;
        this.device = device;
    }

    /** Trains {@code epochs} epochs of {@code batchSize}; {@code shuffle} orders the samples. Returns each epoch's result. */
    public List<EpochResult> fit(Dataset data, int epochs, int batchSize, Generator shuffle, Listener listener) {
        List<EpochResult> results = new ArrayList<>();
        for (int e = 1; e <= epochs; e++) {
            EpochResult r = epoch(e, data, batchSize, shuffle, listener);
            results.add(r);
            listener.epochDone(r);
        }
        return results;
    }

    private EpochResult epoch(int epoch, Dataset data, int batchSize, Generator shuffle, Listener listener) {
        model.train();
        int[] order = permutation(data.size(), shuffle);
        int batches = (data.size() + batchSize - 1) / batchSize;
        double lossSum = 0;
        int counted = 0;
        for (int b = 0; b < batches; b++) {
            int from = b * batchSize;
            int to = Math.min(from + batchSize, data.size());
            if (to - from < 2) {
                continue;
            }
            int[] idx = java.util.Arrays.copyOfRange(order, from, to);
            optimizer.zeroGrad();
            Tensor loss = criterion.forward(model.forward(data.inputs(idx, device)), data.labels(idx, device));
            loss.backward();
            optimizer.step();
            double value = loss.item();
            lossSum += value;
            counted++;
            listener.batchDone(epoch, b + 1, batches, value);
        }
        return new EpochResult(epoch, lossSum / Math.max(1, counted), accuracy(data));
    }

    /** The fraction of {@code data} the model classifies correctly, in evaluation mode and without a graph. */
    public double accuracy(Dataset data) {
        model.eval();
        try {
            Tensor predicted =
                    Tensor.noGrad(() -> model.forward(data.inputs(device)).argmax(1, false));
            long correct = predicted.eq(data.labels(device)).sum().itemLong();
            return (double) correct / data.size();
        } finally {
            model.train();
        }
    }

    /** A random order of {@code 0..n-1} (Fisher-Yates over the generator's 32-bit draws). */
    static int[] permutation(int n, Generator g) {
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        for (int i = n - 1; i > 0; i--) {
            int j = (int) (g.nextUInt32() % (i + 1));
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        return order;
    }
}
