package org.plugtorch.cpu;

import java.util.Arrays;
import org.plugtorch.spi.BinaryOp;
import org.plugtorch.spi.UnaryOp;

/**
 * Element-wise bool kernels on bytes holding 0 or 1. Arithmetic treats them as the integers 0 and 1 and stores
 * {@code != 0}, as the SPI says: ADD is "or", MUL is "and", SUB is "xor", and the unary arithmetic ops are the
 * identity.
 */
final class BoolKernels {
    private BoolKernels() {}

    private interface Binary {
        void run(byte[] d, byte[] a, byte[] b, int from, int to);
    }

    static RangeKernel binary(BinaryOp op) {
        Binary f = binaryOp(op);
        return (x, from, to) -> f.run((byte[]) x[0], (byte[]) x[1], (byte[]) x[2], from, to);
    }

    private static Binary binaryOp(BinaryOp op) {
        switch (op) {
            case ADD:
            case MAXIMUM:
            case LOGICAL_OR:
                return (d, a, b, from, to) -> {
                    for (int i = from; i < to; i++) {
                        d[i] = (byte) (a[i] | b[i]);
                    }
                };
            case MUL:
            case MINIMUM:
            case LOGICAL_AND:
                return (d, a, b, from, to) -> {
                    for (int i = from; i < to; i++) {
                        d[i] = (byte) (a[i] & b[i]);
                    }
                };
            case SUB:
            case NE:
                return (d, a, b, from, to) -> {
                    for (int i = from; i < to; i++) {
                        d[i] = (byte) (a[i] ^ b[i]);
                    }
                };
            case POW:
                return (d, a, b, from, to) -> { // 0 ** 0 is 1, 0 ** 1 is 0, 1 ** anything is 1
                    for (int i = from; i < to; i++) {
                        d[i] = (byte) (a[i] | (b[i] ^ 1));
                    }
                };
            case EQ:
                return (d, a, b, from, to) -> {
                    for (int i = from; i < to; i++) {
                        d[i] = (byte) (a[i] ^ b[i] ^ 1);
                    }
                };
            case LT:
                return (d, a, b, from, to) -> {
                    for (int i = from; i < to; i++) {
                        d[i] = (byte) (a[i] < b[i] ? 1 : 0);
                    }
                };
            case LE:
                return (d, a, b, from, to) -> {
                    for (int i = from; i < to; i++) {
                        d[i] = (byte) (a[i] <= b[i] ? 1 : 0);
                    }
                };
            case GT:
                return (d, a, b, from, to) -> {
                    for (int i = from; i < to; i++) {
                        d[i] = (byte) (a[i] > b[i] ? 1 : 0);
                    }
                };
            case GE:
                return (d, a, b, from, to) -> {
                    for (int i = from; i < to; i++) {
                        d[i] = (byte) (a[i] >= b[i] ? 1 : 0);
                    }
                };
            default:
                throw HostOperands.unsupported(op, "bool");
        }
    }

    static RangeKernel unary(UnaryOp op) {
        switch (op) {
            case NEG:
            case ABS:
            case SIGN:
            case RELU:
                return (x, from, to) -> System.arraycopy(x[1], from, x[0], from, to - from);
            case LOGICAL_NOT:
                return (x, from, to) -> {
                    byte[] d = (byte[]) x[0];
                    byte[] a = (byte[]) x[1];
                    for (int i = from; i < to; i++) {
                        d[i] = (byte) (a[i] ^ 1);
                    }
                };
            default:
                throw HostOperands.unsupported(op, "bool");
        }
    }

    static RangeKernel where() {
        return (x, from, to) -> {
            byte[] d = (byte[]) x[0];
            byte[] c = (byte[]) x[1];
            byte[] a = (byte[]) x[2];
            byte[] b = (byte[]) x[3];
            for (int i = from; i < to; i++) {
                d[i] = c[i] != 0 ? a[i] : b[i];
            }
        };
    }

    static RangeKernel fill(boolean value) {
        byte v = (byte) (value ? 1 : 0);
        return (x, from, to) -> Arrays.fill((byte[]) x[0], from, to, v);
    }
}
