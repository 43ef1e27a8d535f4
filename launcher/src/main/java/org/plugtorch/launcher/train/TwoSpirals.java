package org.plugtorch.launcher.train;

import org.plugtorch.Generator;
import org.plugtorch.nn.BatchNorm1d;
import org.plugtorch.nn.Linear;
import org.plugtorch.nn.ReLU;
import org.plugtorch.nn.Sequential;

/**
 * Two interleaved spirals in the plane, one per class: a data set no straight line separates, generated rather
 * than downloaded. Point {@code i} of {@code n} on arm {@code c} sits at angle {@code t = 0.5 + 3π i/n} (a turn and a
 * half) plus {@code cπ}, at radius {@code t / (0.5 + 3π)} (within the unit disc), moved by normal noise of standard
 * deviation {@code noise} drawn from the generator.
 */
public final class TwoSpirals {
    private static final double TURN = 3 * Math.PI;
    private static final double START = 0.5;

    private TwoSpirals() {}

    /** {@code 2 * perClass} points, arm 0 first; the same generator seed gives the same points. */
    public static Dataset generate(int perClass, double noise, Generator generator) {
        float[] inputs = new float[4 * perClass];
        long[] labels = new long[2 * perClass];
        double[] jitter = new double[4 * perClass];
        generator.normal(jitter, 0, noise);
        int k = 0;
        for (int c = 0; c < 2; c++) {
            for (int i = 0; i < perClass; i++) {
                double t = START + TURN * i / perClass;
                double r = t / (START + TURN);
                double a = t + c * Math.PI;
                inputs[2 * k] = (float) (r * Math.cos(a) + jitter[2 * k]);
                inputs[2 * k + 1] = (float) (r * Math.sin(a) + jitter[2 * k + 1]);
                labels[k] = c;
                k++;
            }
        }
        return new Dataset(inputs, labels, 2);
    }

    /**
     * A small classifier for the spirals: {@code Linear(2, h) → BatchNorm1d(h) → ReLU → Linear(h, h) →
     * BatchNorm1d(h) → ReLU → Linear(h, 2)}, initialised from the default generator.
     */
    public static Sequential classifier(int hidden) {
        return new Sequential(
                new Linear(2, hidden),
                new BatchNorm1d(hidden),
                new ReLU(),
                new Linear(hidden, hidden),
                new BatchNorm1d(hidden),
                new ReLU(),
                new Linear(hidden, 2));
    }
}
