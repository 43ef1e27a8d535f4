package org.plugtorch.cpu;

import org.plugtorch.spi.ReduceOp;

/**
 * One floating-point reduction in progress, fed runs of values in row-major order. Everything is accumulated in
 * double, float32 included: a double sum of floats is exact enough that only the final rounding to float remains,
 * and it costs nothing here because a running sum is bound by the latency of its adds, not by their width. Sums
 * keep four partial sums to overlap those latencies.
 *
 * <p>MAX and MIN return the first NaN if there is one; ARGMAX and ARGMIN the position of the first extreme element
 * (or first NaN): later equal elements never replace an earlier one.
 */
final class FloatingAccumulator {
    private final ReduceOp op;
    private double acc;
    private double best;
    private long bestPosition = -1;
    private long position;

    FloatingAccumulator(ReduceOp op) {
        this.op = op;
        reset();
    }

    void reset() {
        acc = op == ReduceOp.PROD ? 1 : 0;
        best = 0;
        bestPosition = -1;
        position = 0;
    }

    /** Folds in {@code v[from..to)}, the next elements in row-major order. */
    void add(double[] v, int from, int to) {
        switch (op) {
            case SUM:
                acc += sum(v, from, to);
                break;
            case PROD:
                for (int i = from; i < to; i++) {
                    acc *= v[i];
                }
                break;
            case MAX:
            case ARGMAX:
                extreme(v, from, to, true);
                break;
            default:
                extreme(v, from, to, false);
        }
        position += to - from;
    }

    private static double sum(double[] v, int from, int to) {
        double s0 = 0;
        double s1 = 0;
        double s2 = 0;
        double s3 = 0;
        int i = from;
        for (; i + 3 < to; i += 4) {
            s0 += v[i];
            s1 += v[i + 1];
            s2 += v[i + 2];
            s3 += v[i + 3];
        }
        for (; i < to; i++) {
            s0 += v[i];
        }
        return (s0 + s1) + (s2 + s3);
    }

    /**
     * SUM straight from a float32 run: the common case, without converting it into a scratch array first. Eight
     * partial sums: a double add has a latency of 3-4 cycles and two units here, so eight in flight keep up with
     * memory where four do not.
     */
    void addSum(float[] v, int from, int to) {
        double s0 = 0;
        double s1 = 0;
        double s2 = 0;
        double s3 = 0;
        double s4 = 0;
        double s5 = 0;
        double s6 = 0;
        double s7 = 0;
        int i = from;
        for (; i + 7 < to; i += 8) {
            s0 += v[i];
            s1 += v[i + 1];
            s2 += v[i + 2];
            s3 += v[i + 3];
            s4 += v[i + 4];
            s5 += v[i + 5];
            s6 += v[i + 6];
            s7 += v[i + 7];
        }
        for (; i < to; i++) {
            s0 += v[i];
        }
        acc += ((s0 + s1) + (s2 + s3)) + ((s4 + s5) + (s6 + s7));
        position += to - from;
    }

    private void extreme(double[] v, int from, int to, boolean max) {
        int i = from;
        if (bestPosition < 0 && i < to) {
            best = v[i];
            bestPosition = position;
            i++;
        }
        if (best != best) {
            return; // a NaN is final
        }
        for (; i < to; i++) {
            double x = v[i];
            if (x != x || (max ? x > best : x < best)) {
                best = x;
                bestPosition = position + i - from;
                if (x != x) {
                    return;
                }
            }
        }
    }

    /** SUM, PROD, MAX or MIN of everything added. */
    double value() {
        return op == ReduceOp.SUM || op == ReduceOp.PROD ? acc : best;
    }

    /** ARGMAX or ARGMIN: the row-major position of the chosen element. */
    long position() {
        return bestPosition;
    }
}
