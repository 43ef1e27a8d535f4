package org.plugtorch.spi;

import java.util.Arrays;
import org.plugtorch.DType;

/**
 * The rules of the kernel calls written once, for every backend to check its calls against: shapes that agree, the
 * dtypes of {@link UnaryOp}, {@link BinaryOp}, {@link ReduceOp}, {@code where} and {@code matmul}, and every
 * element of an operand inside its buffer. The runtime never breaks them; a backend checks them anyway, so that a
 * broken call fails with a message naming the call and the culprit instead of computing garbage (or, on a device,
 * overwriting another tensor). Whether a buffer is the backend's own and still live is the backend's check.
 */
public final class OperandRules {
    private OperandRules() {}

    /** Every input has the destination's shape (broadcasts arrive as stride-0 views of that shape). */
    public static void sameShape(Object call, Operand dst, Operand... inputs) {
        for (Operand in : inputs) {
            if (!Arrays.equals(dst.shape(), in.shape())) {
                throw new IllegalArgumentException(call + ": operand shape " + Arrays.toString(in.shape())
                        + " differs from the destination's " + Arrays.toString(dst.shape()));
            }
        }
    }

    public static void unary(UnaryOp op, Operand dst, Operand src) {
        sameShape(op, dst, src);
        if (!op.domain().admits(src.dtype())) {
            throw unsupported(op, src.dtype());
        }
        expect(op, "destination", dst.dtype(), op.producesBool() ? DType.BOOL : src.dtype());
    }

    public static void binary(BinaryOp op, Operand dst, Operand a, Operand b) {
        sameShape(op, dst, a, b);
        expect(op, "second operand", b.dtype(), a.dtype());
        expect(op, "destination", dst.dtype(), op.producesBool() ? DType.BOOL : a.dtype());
        if (!op.domain().admits(a.dtype())) {
            throw unsupported(op, a.dtype());
        }
    }

    public static void where(Operand dst, Operand condition, Operand a, Operand b) {
        sameShape("where", dst, condition, a, b);
        expect("where", "condition", condition.dtype(), DType.BOOL);
        expect("where", "first operand", a.dtype(), dst.dtype());
        expect("where", "second operand", b.dtype(), dst.dtype());
    }

    /** The destination's shape is the source's leading dimensions; ARGMAX and ARGMIN write int64. */
    public static void reduce(ReduceOp op, Operand dst, Operand src) {
        int kept = dst.rank();
        if (kept > src.rank() || !Arrays.equals(dst.shape(), Arrays.copyOf(src.shape(), kept))) {
            throw new IllegalArgumentException(op + ": destination shape " + Arrays.toString(dst.shape())
                    + " is not a leading part of the source shape " + Arrays.toString(src.shape()));
        }
        boolean arg = op == ReduceOp.ARGMAX || op == ReduceOp.ARGMIN;
        expect(op, "destination", dst.dtype(), arg ? DType.INT64 : src.dtype());
    }

    /** {@code [B, M, K] @ [B, K, N] -> [B, M, N]}, one numeric dtype. */
    public static void matmul(Operand dst, Operand a, Operand b) {
        long[] c = dst.shape();
        long[] x = a.shape();
        long[] y = b.shape();
        if (c.length != 3
                || x.length != 3
                || y.length != 3
                || x[0] != c[0]
                || y[0] != c[0]
                || x[1] != c[1]
                || y[2] != c[2]
                || x[2] != y[1]) {
            throw new IllegalArgumentException("matmul needs [B, M, K] @ [B, K, N] -> [B, M, N]; got "
                    + Arrays.toString(x) + " @ " + Arrays.toString(y) + " -> " + Arrays.toString(c));
        }
        expect("matmul", "first operand", a.dtype(), dst.dtype());
        expect("matmul", "second operand", b.dtype(), dst.dtype());
        if (dst.dtype() == DType.BOOL) {
            throw unsupported("matmul", DType.BOOL);
        }
    }

    /**
     * Checks that every element {@code o} addresses lies inside its buffer ({@link DeviceBuffer#size()} elements),
     * in O(rank): an operand with a zero dimension addresses nothing and always passes. {@code role} names the
     * operand in the message ("destination", "the first operand").
     *
     * @throws IllegalArgumentException  for a negative dimension
     * @throws IndexOutOfBoundsException for an element outside the buffer, or addresses past the range of a long
     */
    public static void inBounds(Operand o, String role) {
        long[] shape = o.shape();
        long[] strides = o.strides();
        long lo = o.offset();
        long hi = o.offset();
        try {
            for (int d = 0; d < shape.length; d++) {
                if (shape[d] < 0) {
                    throw new IllegalArgumentException(role + " has a negative dimension: " + o);
                }
                if (shape[d] == 0) {
                    return;
                }
                long span = Math.multiplyExact(shape[d] - 1, strides[d]);
                if (span < 0) {
                    lo = Math.addExact(lo, span);
                } else {
                    hi = Math.addExact(hi, span);
                }
            }
        } catch (ArithmeticException e) {
            throw new IndexOutOfBoundsException(role + " " + o + " addresses elements past the range of a long");
        }
        long size = o.buffer().size();
        if (lo < 0 || hi >= size) {
            throw new IndexOutOfBoundsException(
                    role + " " + o + " addresses elements " + lo + " to " + hi + ", outside its buffer of " + size);
        }
    }

    /** The error for an op a dtype does not have. */
    public static IllegalArgumentException unsupported(Object op, DType dtype) {
        return new IllegalArgumentException(op + " is not defined for " + dtype.torchName() + " operands");
    }

    private static void expect(Object call, String role, DType actual, DType expected) {
        if (actual != expected) {
            throw new IllegalArgumentException(call + ": the " + role + " is " + actual + ", expected " + expected);
        }
    }
}
