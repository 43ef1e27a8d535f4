package org.plugtorch.cpu;

import org.plugtorch.spi.ReduceOp;

/**
 * One integer (or bool) reduction in progress, fed runs of values in row-major order, in long arithmetic: sums and
 * products wrap around at 64 bits, and narrowing the result to int32 then gives exactly the 32-bit wrapped result.
 * ARGMAX and ARGMIN keep the first extreme element.
 */
final class IntegerAccumulator {
    private final ReduceOp op;
    private long acc;
    private long best;
    private long bestPosition = -1;
    private long position;

    IntegerAccumulator(ReduceOp op) {
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
    void add(long[] v, int from, int to) {
        switch (op) {
            case SUM:
                for (int i = from; i < to; i++) {
                    acc += v[i];
                }
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

    private void extreme(long[] v, int from, int to, boolean max) {
        int i = from;
        if (bestPosition < 0 && i < to) {
            best = v[i];
            bestPosition = position;
            i++;
        }
        for (; i < to; i++) {
            long x = v[i];
            if (max ? x > best : x < best) {
                best = x;
                bestPosition = position + i - from;
            }
        }
    }

    /** SUM, PROD, MAX or MIN of everything added. */
    long value() {
        return op == ReduceOp.SUM || op == ReduceOp.PROD ? acc : best;
    }

    /** ARGMAX or ARGMIN: the row-major position of the chosen element. */
    long position() {
        return bestPosition;
    }
}
