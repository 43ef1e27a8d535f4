package org.plugtorch.cpu;

import java.util.Arrays;
import org.plugtorch.spi.BinaryOp;
import org.plugtorch.spi.UnaryOp;

/** Element-wise float64 kernels: {@link FloatKernels} in double precision. */
final class DoubleKernels {
    private DoubleKernels() {
    }

    private interface Binary {
        void run(double[] d, double[] a, double[] b, int from, int to);
    }

    private interface WithScalar {
        void run(double[] d, double[] a, double b, int from, int to);
    }

    private interface Compare {
        void run(byte[] d, double[] a, double[] b, int from, int to);
    }

    private interface Unary {
        void run(double[] d, double[] a, int from, int to);
    }

    static RangeKernel binary(BinaryOp op) {
        if (op.producesBool()) {
            Compare c = compare(op);
            return (x, from, to) -> c.run((byte[]) x[0], (double[]) x[1], (double[]) x[2], from, to);
        }
        Binary f = arithmetic(op);
        return (x, from, to) -> f.run((double[]) x[0], (double[]) x[1], (double[]) x[2], from, to);
    }

    private static Binary arithmetic(BinaryOp op) {
        switch (op) {
            case ADD: return (d, a, b, from, to) -> {
                for (int i = from; i < to; i++) { d[i] = a[i] + b[i]; } };
            case SUB: return (d, a, b, from, to) -> {
                for (int i = from; i < to; i++) { d[i] = a[i] - b[i]; } };
            case MUL: return (d, a, b, from, to) -> {
                for (int i = from; i < to; i++) { d[i] = a[i] * b[i]; } };
            case DIV: return (d, a, b, from, to) -> {
                for (int i = from; i < to; i++) { d[i] = a[i] / b[i]; } };
            case POW: return (d, a, b, from, to) -> {
                for (int i = from; i < to; i++) { d[i] = pow(a[i], b[i]); } };
            case MAXIMUM: return (d, a, b, from, to) -> {
                for (int i = from; i < to; i++) { d[i] = maximum(a[i], b[i]); } };
            case MINIMUM: return (d, a, b, from, to) -> {
                for (int i = from; i < to; i++) { d[i] = minimum(a[i], b[i]); } };
            default: throw new AssertionError(op);
        }
    }

    /** The kernels with a broadcast-scalar second operand; null for comparisons, which go through staging. */
    static ScalarKernel binaryScalar(BinaryOp op) {
        if (op.producesBool()) {
            return null;
        }
        WithScalar f = withScalar(op);
        return (d, a, b, bIndex, from, to) -> f.run((double[]) d, (double[]) a, ((double[]) b)[bIndex], from, to);
    }

    private static WithScalar withScalar(BinaryOp op) {
        switch (op) {
            case ADD: return (d, a, b, from, to) -> {
                for (int i = from; i < to; i++) { d[i] = a[i] + b; } };
            case SUB: return (d, a, b, from, to) -> {
                for (int i = from; i < to; i++) { d[i] = a[i] - b; } };
            case MUL: return (d, a, b, from, to) -> {
                for (int i = from; i < to; i++) { d[i] = a[i] * b; } };
            case DIV: return (d, a, b, from, to) -> {
                for (int i = from; i < to; i++) { d[i] = a[i] / b; } };
            case POW: return (d, a, b, from, to) -> {
                if (b == 2) { // x * x rounds exactly as pow(x, 2) does, and squaring is the common case
                    for (int i = from; i < to; i++) { d[i] = a[i] * a[i]; }
                } else {
                    for (int i = from; i < to; i++) { d[i] = pow(a[i], b); }
                } };
            case MAXIMUM: return (d, a, b, from, to) -> {
                for (int i = from; i < to; i++) { d[i] = maximum(a[i], b); } };
            case MINIMUM: return (d, a, b, from, to) -> {
                for (int i = from; i < to; i++) { d[i] = minimum(a[i], b); } };
            default: throw new AssertionError(op);
        }
    }

    private static Compare compare(BinaryOp op) {
        switch (op) {
            case EQ: return (d, a, b, from, to) -> {
                for (int i = from; i < to; i++) { d[i] = (byte) (a[i] == b[i] ? 1 : 0); } };
            case NE: return (d, a, b, from, to) -> {
                for (int i = from; i < to; i++) { d[i] = (byte) (a[i] != b[i] ? 1 : 0); } };
            case LT: return (d, a, b, from, to) -> {
                for (int i = from; i < to; i++) { d[i] = (byte) (a[i] < b[i] ? 1 : 0); } };
            case LE: return (d, a, b, from, to) -> {
                for (int i = from; i < to; i++) { d[i] = (byte) (a[i] <= b[i] ? 1 : 0); } };
            case GT: return (d, a, b, from, to) -> {
                for (int i = from; i < to; i++) { d[i] = (byte) (a[i] > b[i] ? 1 : 0); } };
            case GE: return (d, a, b, from, to) -> {
                for (int i = from; i < to; i++) { d[i] = (byte) (a[i] >= b[i] ? 1 : 0); } };
            case LOGICAL_AND: return (d, a, b, from, to) -> {
                for (int i = from; i < to; i++) { d[i] = (byte) (a[i] != 0 && b[i] != 0 ? 1 : 0); } };
            case LOGICAL_OR: return (d, a, b, from, to) -> {
                for (int i = from; i < to; i++) { d[i] = (byte) (a[i] != 0 || b[i] != 0 ? 1 : 0); } };
            default: throw new AssertionError(op);
        }
    }

    /** C's {@code pow}, which PyTorch uses: unlike {@link Math#pow}, 1 to any power and (-1) to ±inf are 1. */
    static double pow(double x, double y) {
        if (x == 1 || (x == -1 && Double.isInfinite(y))) {
            return 1;
        }
        return Math.pow(x, y);
    }

    static double maximum(double x, double y) {
        return x != x || y != y ? Double.NaN : x < y ? y : x;
    }

    static double minimum(double x, double y) {
        return x != x || y != y ? Double.NaN : x > y ? y : x;
    }

    static RangeKernel unary(UnaryOp op) {
        if (op == UnaryOp.LOGICAL_NOT) {
            return (x, from, to) -> {
                byte[] d = (byte[]) x[0];
                double[] a = (double[]) x[1];
                for (int i = from; i < to; i++) {
                    d[i] = (byte) (a[i] == 0 ? 1 : 0);
                }
            };
        }
        Unary f = unaryOp(op);
        return (x, from, to) -> f.run((double[]) x[0], (double[]) x[1], from, to);
    }

    private static Unary unaryOp(UnaryOp op) {
        switch (op) {
            case NEG: return (d, a, from, to) -> {
                for (int i = from; i < to; i++) { d[i] = -a[i]; } };
            case ABS: return (d, a, from, to) -> {
                for (int i = from; i < to; i++) { d[i] = Math.abs(a[i]); } };
            case SIGN: return (d, a, from, to) -> {
                for (int i = from; i < to; i++) { d[i] = (0 < a[i] ? 1d : 0d) - (a[i] < 0 ? 1d : 0d); } };
            case RELU: return DoubleKernels::relu;
            case EXP: return (d, a, from, to) -> {
                for (int i = from; i < to; i++) { d[i] = Math.exp(a[i]); } };
            case LOG: return (d, a, from, to) -> {
                for (int i = from; i < to; i++) { d[i] = Math.log(a[i]); } };
            case SQRT: return (d, a, from, to) -> {
                for (int i = from; i < to; i++) { d[i] = Math.sqrt(a[i]); } };
            case RSQRT: return (d, a, from, to) -> {
                for (int i = from; i < to; i++) { d[i] = 1 / Math.sqrt(a[i]); } };
            case RECIPROCAL: return (d, a, from, to) -> {
                for (int i = from; i < to; i++) { d[i] = 1d / a[i]; } };
            case SIN: return (d, a, from, to) -> {
                for (int i = from; i < to; i++) { d[i] = Math.sin(a[i]); } };
            case COS: return (d, a, from, to) -> {
                for (int i = from; i < to; i++) { d[i] = Math.cos(a[i]); } };
            case TANH: return (d, a, from, to) -> {
                for (int i = from; i < to; i++) { d[i] = Math.tanh(a[i]); } };
            case SIGMOID: return (d, a, from, to) -> {
                for (int i = from; i < to; i++) { d[i] = 1 / (1 + Math.exp(-a[i])); } };
            default: throw new AssertionError(op);
        }
    }

    /**
     * {@code x < 0 ? 0 : x}, as PyTorch's relu: NaN stays NaN and -0 stays -0. Written so, the loop branches on the
     * sign of every element (and mispredicts half the time on mixed signs: ten times slower than memory). Math.max
     * vectorises and agrees everywhere but at -0, which it turns into +0; a second pass over the same block, still
     * in L1, puts every zero back as it was, a branch almost never taken. In place, the block is kept aside first,
     * since the first pass overwrites the zeros' signs.
     */
    static void relu(double[] d, double[] a, int from, int to) {
        double[] kept = d == a ? new double[Math.min(Elementwise.CHUNK, to - from)] : null;
        for (int start = from; start < to; start += Elementwise.CHUNK) {
            int end = Math.min(to, start + Elementwise.CHUNK);
            double[] in = a;
            int shift = 0;
            if (kept != null) {
                System.arraycopy(a, start, kept, 0, end - start);
                in = kept;
                shift = start;
            }
            for (int i = start; i < end; i++) {
                d[i] = Math.max(a[i], 0d);
            }
            for (int i = start; i < end; i++) {
                if (in[i - shift] == 0) {
                    d[i] = in[i - shift];
                }
            }
        }
    }

    static RangeKernel where() {
        return (x, from, to) -> {
            double[] d = (double[]) x[0];
            byte[] c = (byte[]) x[1];
            double[] a = (double[]) x[2];
            double[] b = (double[]) x[3];
            for (int i = from; i < to; i++) {
                d[i] = c[i] != 0 ? a[i] : b[i];
            }
        };
    }

    static RangeKernel fill(double value) {
        return (x, from, to) -> Arrays.fill((double[]) x[0], from, to, value);
    }
}
