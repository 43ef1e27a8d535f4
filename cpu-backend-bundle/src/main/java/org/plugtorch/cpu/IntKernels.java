package org.plugtorch.cpu;

import java.util.Arrays;
import org.plugtorch.spi.BinaryOp;
import org.plugtorch.spi.UnaryOp;

/** Element-wise int32 kernels: {@link LongKernels} in int arithmetic, which wraps around at 32 bits. */
final class IntKernels {
    private IntKernels() {
    }

    private interface Binary {
        void run(int[] d, int[] a, int[] b, int from, int to);
    }

    private interface WithScalar {
        void run(int[] d, int[] a, int b, int from, int to);
    }

    private interface Compare {
        void run(byte[] d, int[] a, int[] b, int from, int to);
    }

    private interface Unary {
        void run(int[] d, int[] a, int from, int to);
    }

    static RangeKernel binary(BinaryOp op) {
        if (op.producesBool()) {
            Compare c = compare(op);
            return (x, from, to) -> c.run((byte[]) x[0], (int[]) x[1], (int[]) x[2], from, to);
        }
        Binary f = arithmetic(op);
        return (x, from, to) -> f.run((int[]) x[0], (int[]) x[1], (int[]) x[2], from, to);
    }

    private static Binary arithmetic(BinaryOp op) {
        switch (op) {
            case ADD: return (d, a, b, from, to) -> {
                for (int i = from; i < to; i++) { d[i] = a[i] + b[i]; } };
            case SUB: return (d, a, b, from, to) -> {
                for (int i = from; i < to; i++) { d[i] = a[i] - b[i]; } };
            case MUL: return (d, a, b, from, to) -> {
                for (int i = from; i < to; i++) { d[i] = a[i] * b[i]; } };
            case POW: return (d, a, b, from, to) -> {
                for (int i = from; i < to; i++) { d[i] = pow(a[i], b[i]); } };
            case MAXIMUM: return (d, a, b, from, to) -> {
                for (int i = from; i < to; i++) { d[i] = Math.max(a[i], b[i]); } };
            case MINIMUM: return (d, a, b, from, to) -> {
                for (int i = from; i < to; i++) { d[i] = Math.min(a[i], b[i]); } };
            default: throw CallChecks.unsupported(op, "int32");
        }
    }

    static ScalarKernel binaryScalar(BinaryOp op) {
        if (op.producesBool()) {
            return null;
        }
        WithScalar f = withScalar(op);
        return (d, a, b, bIndex, from, to) -> f.run((int[]) d, (int[]) a, ((int[]) b)[bIndex], from, to);
    }

    private static WithScalar withScalar(BinaryOp op) {
        switch (op) {
            case ADD: return (d, a, b, from, to) -> {
                for (int i = from; i < to; i++) { d[i] = a[i] + b; } };
            case SUB: return (d, a, b, from, to) -> {
                for (int i = from; i < to; i++) { d[i] = a[i] - b; } };
            case MUL: return (d, a, b, from, to) -> {
                for (int i = from; i < to; i++) { d[i] = a[i] * b; } };
            case POW: return (d, a, b, from, to) -> {
                for (int i = from; i < to; i++) { d[i] = pow(a[i], b); } };
            case MAXIMUM: return (d, a, b, from, to) -> {
                for (int i = from; i < to; i++) { d[i] = Math.max(a[i], b); } };
            case MINIMUM: return (d, a, b, from, to) -> {
                for (int i = from; i < to; i++) { d[i] = Math.min(a[i], b); } };
            default: throw CallChecks.unsupported(op, "int32");
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

    /**
     * Integer power by squaring, wrapping around like repeated multiplication. A negative exponent gives PyTorch's
     * integer results: 1 for base 1, ±1 for base -1 by parity, 0 otherwise.
     */
    static int pow(int base, int exponent) {
        if (exponent < 0) {
            return base == 1 ? 1 : base == -1 ? ((exponent & 1) == 0 ? 1 : -1) : 0;
        }
        int result = 1;
        for (int b = base, e = exponent; e != 0; e >>>= 1, b *= b) {
            if ((e & 1) != 0) {
                result *= b;
            }
        }
        return result;
    }

    static RangeKernel unary(UnaryOp op) {
        if (op == UnaryOp.LOGICAL_NOT) {
            return (x, from, to) -> {
                byte[] d = (byte[]) x[0];
                int[] a = (int[]) x[1];
                for (int i = from; i < to; i++) {
                    d[i] = (byte) (a[i] == 0 ? 1 : 0);
                }
            };
        }
        Unary f = unaryOp(op);
        return (x, from, to) -> f.run((int[]) x[0], (int[]) x[1], from, to);
    }

    private static Unary unaryOp(UnaryOp op) {
        switch (op) {
            case NEG: return (d, a, from, to) -> {
                for (int i = from; i < to; i++) { d[i] = -a[i]; } };
            case ABS: return (d, a, from, to) -> {
                for (int i = from; i < to; i++) { d[i] = Math.abs(a[i]); } };
            case SIGN: return (d, a, from, to) -> {
                for (int i = from; i < to; i++) { d[i] = Integer.signum(a[i]); } };
            case RELU: return (d, a, from, to) -> {
                for (int i = from; i < to; i++) { d[i] = Math.max(a[i], 0); } };
            default: throw CallChecks.unsupported(op, "int32");
        }
    }

    static RangeKernel where() {
        return (x, from, to) -> {
            int[] d = (int[]) x[0];
            byte[] c = (byte[]) x[1];
            int[] a = (int[]) x[2];
            int[] b = (int[]) x[3];
            for (int i = from; i < to; i++) {
                d[i] = c[i] != 0 ? a[i] : b[i];
            }
        };
    }

    static RangeKernel fill(int value) {
        return (x, from, to) -> Arrays.fill((int[]) x[0], from, to, value);
    }
}
