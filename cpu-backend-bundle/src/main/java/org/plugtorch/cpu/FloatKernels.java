package org.plugtorch.cpu;

import java.util.Arrays;
import org.plugtorch.spi.BinaryOp;
import org.plugtorch.spi.UnaryOp;

/**
 * Element-wise float32 kernels. Arithmetic is done in float, as PyTorch does it. The transcendental functions go
 * through Java's double-precision {@link Math} and round once to float: Java has no float versions, and the result
 * is within an ulp of exact, which is at least as good as the float kernels of other backends.
 */
final class FloatKernels {
    private FloatKernels() {
    }

    private interface Binary {
        void run(float[] d, float[] a, float[] b, int from, int to);
    }

    private interface WithScalar {
        void run(float[] d, float[] a, float b, int from, int to);
    }

    private interface Compare {
        void run(byte[] d, float[] a, float[] b, int from, int to);
    }

    private interface Unary {
        void run(float[] d, float[] a, int from, int to);
    }

    /*
     * The kernels per op, built once: a capturing lambda built on every call costs an allocation per element-wise
     * op, which on small tensors is as much as the arithmetic. A race builds one twice, which is harmless: the
     * kernels hold nothing but their (final) captured function.
     */
    private static final RangeKernel[] BINARY = new RangeKernel[BinaryOp.values().length];
    private static final ScalarKernel[] BINARY_SCALAR = new ScalarKernel[BinaryOp.values().length];
    private static final ShiftedKernel[] BINARY_SHIFTED = new ShiftedKernel[BinaryOp.values().length];
    private static final RangeKernel[] UNARY = new RangeKernel[UnaryOp.values().length];

    static RangeKernel binary(BinaryOp op) {
        RangeKernel k = BINARY[op.ordinal()];
        if (k == null) {
            k = newBinary(op);
            BINARY[op.ordinal()] = k;
        }
        return k;
    }

    private static RangeKernel newBinary(BinaryOp op) {
        if (op.producesBool()) {
            Compare c = compare(op);
            return (x, from, to) -> c.run((byte[]) x[0], (float[]) x[1], (float[]) x[2], from, to);
        }
        Binary f = arithmetic(op);
        return (x, from, to) -> f.run((float[]) x[0], (float[]) x[1], (float[]) x[2], from, to);
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

    /** The kernels with a broadcast-scalar second operand (a comparison writes bytes). */
    static ScalarKernel binaryScalar(BinaryOp op) {
        ScalarKernel k = BINARY_SCALAR[op.ordinal()];
        if (k == null) {
            k = newBinaryScalar(op);
            BINARY_SCALAR[op.ordinal()] = k;
        }
        return k;
    }

    private static ScalarKernel newBinaryScalar(BinaryOp op) {
        if (op.producesBool()) {
            CompareScalar c = compareScalar(op);
            return (d, a, b, bIndex, from, to) -> c.run((byte[]) d, (float[]) a, ((float[]) b)[bIndex], from, to);
        }
        WithScalar f = withScalar(op);
        return (d, a, b, bIndex, from, to) -> f.run((float[]) d, (float[]) a, ((float[]) b)[bIndex], from, to);
    }

    private interface Shifted {
        void run(float[] d, float[] a, float[] b, int shift, int from, int to);
    }

    /** ADD, SUB and MUL with a shifted second input (a broadcast row); null for the others, which stage. */
    static ShiftedKernel binaryShifted(BinaryOp op) {
        ShiftedKernel k = BINARY_SHIFTED[op.ordinal()];
        if (k == null) {
            k = newBinaryShifted(op);
            if (k == null) {
                return null;
            }
            BINARY_SHIFTED[op.ordinal()] = k;
        }
        return k;
    }

    private static ShiftedKernel newBinaryShifted(BinaryOp op) {
        Shifted f;
        switch (op) {
            case ADD: f = (d, a, b, shift, from, to) -> {
                for (int i = from; i < to; i++) { d[i] = a[i] + b[i + shift]; } }; break;
            case SUB: f = (d, a, b, shift, from, to) -> {
                for (int i = from; i < to; i++) { d[i] = a[i] - b[i + shift]; } }; break;
            case MUL: f = (d, a, b, shift, from, to) -> {
                for (int i = from; i < to; i++) { d[i] = a[i] * b[i + shift]; } }; break;
            default: return null;
        }
        return (d, a, b, shift, from, to) -> f.run((float[]) d, (float[]) a, (float[]) b, shift, from, to);
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

    private interface CompareScalar {
        void run(byte[] d, float[] a, float b, int from, int to);
    }

    private static CompareScalar compareScalar(BinaryOp op) {
        switch (op) {
            case EQ: return (d, a, b, from, to) -> {
                for (int i = from; i < to; i++) { d[i] = (byte) (a[i] == b ? 1 : 0); } };
            case NE: return (d, a, b, from, to) -> {
                for (int i = from; i < to; i++) { d[i] = (byte) (a[i] != b ? 1 : 0); } };
            case LT: return (d, a, b, from, to) -> {
                for (int i = from; i < to; i++) { d[i] = (byte) (a[i] < b ? 1 : 0); } };
            case LE: return (d, a, b, from, to) -> {
                for (int i = from; i < to; i++) { d[i] = (byte) (a[i] <= b ? 1 : 0); } };
            case GT: return (d, a, b, from, to) -> {
                for (int i = from; i < to; i++) { d[i] = (byte) (a[i] > b ? 1 : 0); } };
            case GE: return (d, a, b, from, to) -> {
                for (int i = from; i < to; i++) { d[i] = (byte) (a[i] >= b ? 1 : 0); } };
            case LOGICAL_AND: return (d, a, b, from, to) -> {
                for (int i = from; i < to; i++) { d[i] = (byte) (a[i] != 0 && b != 0 ? 1 : 0); } };
            case LOGICAL_OR: return (d, a, b, from, to) -> {
                for (int i = from; i < to; i++) { d[i] = (byte) (a[i] != 0 || b != 0 ? 1 : 0); } };
            default: throw new AssertionError(op);
        }
    }

    /**
     * {@code where} with one branch a broadcast scalar (a gradient masked to zero): {@code d[i] = c[i] != 0 ? s :
     * x[i]} when {@code scalarIfTrue}, else {@code c[i] != 0 ? x[i] : s}.
     */
    static void whereScalar(float[] d, byte[] c, float[] x, float s, boolean scalarIfTrue, int from, int to) {
        if (scalarIfTrue) {
            for (int i = from; i < to; i++) { d[i] = c[i] != 0 ? s : x[i]; }
        } else {
            for (int i = from; i < to; i++) { d[i] = c[i] != 0 ? x[i] : s; }
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

    /** C's {@code powf}, which PyTorch uses: unlike {@link Math#pow}, 1 to any power and (-1) to ±inf are 1. */
    static float pow(float x, float y) {
        if (x == 1 || (x == -1 && Float.isInfinite(y))) {
            return 1;
        }
        return (float) Math.pow(x, y);
    }

    static float maximum(float x, float y) {
        return x != x || y != y ? Float.NaN : x < y ? y : x;
    }

    static float minimum(float x, float y) {
        return x != x || y != y ? Float.NaN : x > y ? y : x;
    }

    static RangeKernel unary(UnaryOp op) {
        RangeKernel k = UNARY[op.ordinal()];
        if (k == null) {
            k = newUnary(op);
            UNARY[op.ordinal()] = k;
        }
        return k;
    }

    private static RangeKernel newUnary(UnaryOp op) {
        if (op == UnaryOp.LOGICAL_NOT) {
            return (x, from, to) -> {
                byte[] d = (byte[]) x[0];
                float[] a = (float[]) x[1];
                for (int i = from; i < to; i++) {
                    d[i] = (byte) (a[i] == 0 ? 1 : 0);
                }
            };
        }
        Unary f = unaryOp(op);
        return (x, from, to) -> f.run((float[]) x[0], (float[]) x[1], from, to);
    }

    private static Unary unaryOp(UnaryOp op) {
        switch (op) {
            case NEG: return (d, a, from, to) -> {
                for (int i = from; i < to; i++) { d[i] = -a[i]; } };
            case ABS: return (d, a, from, to) -> {
                for (int i = from; i < to; i++) { d[i] = Math.abs(a[i]); } };
            case SIGN: return (d, a, from, to) -> {
                for (int i = from; i < to; i++) { d[i] = (0 < a[i] ? 1f : 0f) - (a[i] < 0 ? 1f : 0f); } };
            case RELU: return FloatKernels::relu;
            case EXP: return (d, a, from, to) -> {
                for (int i = from; i < to; i++) { d[i] = (float) Math.exp(a[i]); } };
            case LOG: return (d, a, from, to) -> {
                for (int i = from; i < to; i++) { d[i] = (float) Math.log(a[i]); } };
            case SQRT: return (d, a, from, to) -> {
                for (int i = from; i < to; i++) { d[i] = (float) Math.sqrt(a[i]); } };
            case RSQRT: return (d, a, from, to) -> {
                for (int i = from; i < to; i++) { d[i] = (float) (1 / Math.sqrt(a[i])); } };
            case RECIPROCAL: return (d, a, from, to) -> {
                for (int i = from; i < to; i++) { d[i] = 1f / a[i]; } };
            case SIN: return (d, a, from, to) -> {
                for (int i = from; i < to; i++) { d[i] = (float) Math.sin(a[i]); } };
            case COS: return (d, a, from, to) -> {
                for (int i = from; i < to; i++) { d[i] = (float) Math.cos(a[i]); } };
            case TANH: return (d, a, from, to) -> {
                for (int i = from; i < to; i++) { d[i] = (float) Math.tanh(a[i]); } };
            case SIGMOID: return (d, a, from, to) -> {
                for (int i = from; i < to; i++) { d[i] = (float) (1 / (1 + Math.exp(-a[i]))); } };
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
    static void relu(float[] d, float[] a, int from, int to) {
        float[] kept = d == a ? new float[Math.min(Elementwise.CHUNK, to - from)] : null;
        for (int start = from; start < to; start += Elementwise.CHUNK) {
            int end = Math.min(to, start + Elementwise.CHUNK);
            float[] in = a;
            int shift = 0;
            if (kept != null) {
                System.arraycopy(a, start, kept, 0, end - start);
                in = kept;
                shift = start;
            }
            for (int i = start; i < end; i++) {
                d[i] = Math.max(a[i], 0f);
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
            float[] d = (float[]) x[0];
            byte[] c = (byte[]) x[1];
            float[] a = (float[]) x[2];
            float[] b = (float[]) x[3];
            for (int i = from; i < to; i++) {
                d[i] = c[i] != 0 ? a[i] : b[i];
            }
        };
    }

    static RangeKernel fill(float value) {
        return (x, from, to) -> Arrays.fill((float[]) x[0], from, to, value);
    }
}
