package org.plugtorch.cpu;

import java.util.Arrays;
import org.plugtorch.DType;
import org.plugtorch.spi.BinaryOp;
import org.plugtorch.spi.HostBuffer;
import org.plugtorch.spi.Operand;
import org.plugtorch.spi.ReduceOp;
import org.plugtorch.spi.UnaryOp;

/**
 * Checks that a call keeps the SPI's rules (host buffers, shapes, dtypes, elements in bounds) before any kernel
 * runs: the runtime guarantees them, but a broken caller then gets a message naming the operand, not an
 * {@link ArrayIndexOutOfBoundsException} from the middle of a half-written output. The checks cost O(rank).
 */
final class CallChecks {
    private CallChecks() {
    }

    static IllegalArgumentException unsupported(Object op, String dtype) {
        return new IllegalArgumentException(op + " is not defined for " + dtype + " operands (cpu backend)");
    }

    /** The operand's host buffer, after checking that every element it addresses lies inside it. */
    static HostBuffer host(Operand o, String role) {
        if (!(o.buffer() instanceof HostBuffer)) {
            throw new IllegalArgumentException("the cpu backend computes on host buffers; " + role + " is "
                    + o.buffer());
        }
        HostBuffer h = (HostBuffer) o.buffer();
        long[] shape = o.shape();
        long[] strides = o.strides();
        long lo = o.offset();
        long hi = o.offset();
        for (int d = 0; d < shape.length; d++) {
            if (shape[d] < 0) {
                throw new IllegalArgumentException(role + " has a negative dimension: " + o);
            }
            if (shape[d] == 0) {
                return h;
            }
            long span = (shape[d] - 1) * strides[d];
            if (span < 0) {
                lo += span;
            } else {
                hi += span;
            }
        }
        if (lo < 0 || hi >= h.size()) {
            throw new IndexOutOfBoundsException(role + " " + o + " addresses elements " + lo + " to " + hi
                    + ", outside its buffer of " + h.size());
        }
        return h;
    }

    static void sameShape(String call, Operand dst, Operand... inputs) {
        for (Operand in : inputs) {
            if (!Arrays.equals(dst.shape(), in.shape())) {
                throw new IllegalArgumentException(call + ": operand shape " + Arrays.toString(in.shape())
                        + " differs from the destination's " + Arrays.toString(dst.shape()));
            }
        }
    }

    static void unary(UnaryOp op, Operand dst, Operand src) {
        sameShape(op.toString(), dst, src);
        if (op.floatingOnly() && !src.dtype().isFloatingPoint()) {
            throw unsupported(op, src.dtype().torchName());
        }
        expect(op, "destination", dst.dtype(), op == UnaryOp.LOGICAL_NOT ? DType.BOOL : src.dtype());
    }

    static void binary(BinaryOp op, Operand dst, Operand a, Operand b) {
        sameShape(op.toString(), dst, a, b);
        expect(op, "second operand", b.dtype(), a.dtype());
        expect(op, "destination", dst.dtype(), op.producesBool() ? DType.BOOL : a.dtype());
        if (op == BinaryOp.DIV && !a.dtype().isFloatingPoint()) {
            throw unsupported(op, a.dtype().torchName());
        }
    }

    static void where(Operand dst, Operand condition, Operand a, Operand b) {
        sameShape("where", dst, condition, a, b);
        expect("where", "condition", condition.dtype(), DType.BOOL);
        expect("where", "first operand", a.dtype(), dst.dtype());
        expect("where", "second operand", b.dtype(), dst.dtype());
    }

    static void reduce(ReduceOp op, Operand dst, Operand src) {
        int kept = dst.rank();
        if (kept > src.rank() || !Arrays.equals(dst.shape(), Arrays.copyOf(src.shape(), kept))) {
            throw new IllegalArgumentException(op + ": destination shape " + Arrays.toString(dst.shape())
                    + " is not a leading part of the source shape " + Arrays.toString(src.shape()));
        }
        boolean arg = op == ReduceOp.ARGMAX || op == ReduceOp.ARGMIN;
        expect(op, "destination", dst.dtype(), arg ? DType.INT64 : src.dtype());
    }

    static void matmul(Operand dst, Operand a, Operand b) {
        long[] c = dst.shape();
        long[] x = a.shape();
        long[] y = b.shape();
        if (c.length != 3 || x.length != 3 || y.length != 3 || x[0] != c[0] || y[0] != c[0] || x[1] != c[1]
                || y[2] != c[2] || x[2] != y[1]) {
            throw new IllegalArgumentException("matmul needs [B, M, K] @ [B, K, N] -> [B, M, N]; got "
                    + Arrays.toString(x) + " @ " + Arrays.toString(y) + " -> " + Arrays.toString(c));
        }
        expect("matmul", "first operand", a.dtype(), dst.dtype());
        expect("matmul", "second operand", b.dtype(), dst.dtype());
    }

    private static void expect(Object call, String role, DType actual, DType expected) {
        if (actual != expected) {
            throw new IllegalArgumentException(call + ": the " + role + " is " + actual + ", expected " + expected);
        }
    }
}
