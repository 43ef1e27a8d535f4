package org.plugtorch.opencl;

import java.util.Arrays;
import org.plugtorch.DType;
import org.plugtorch.spi.BinaryOp;
import org.plugtorch.spi.DeviceBuffer;
import org.plugtorch.spi.Operand;
import org.plugtorch.spi.ReduceOp;
import org.plugtorch.spi.UnaryOp;

/**
 * Checks that a call keeps the SPI's rules before anything is launched. On a device the stakes are higher than on
 * the host: every buffer of a dtype lives in one arena, so an operand that strayed outside its buffer would read or
 * overwrite other tensors, with no exception to tell. The checks cost O(rank).
 */
final class CallChecks {
    private CallChecks() {
    }

    static IllegalArgumentException unsupported(Object op, DType dtype) {
        return new IllegalArgumentException(op + " is not defined for " + dtype.torchName()
                + " operands (opencl backend)");
    }

    /** The operand's buffer, after checking it is a live buffer of {@code device} and every element is inside it. */
    static ClBuffer buffer(Operand o, ClDevice device, String role) {
        ClBuffer b = buffer(o.buffer(), device, role);
        long[] shape = o.shape();
        long[] strides = o.strides();
        long lo = o.offset();
        long hi = o.offset();
        for (int d = 0; d < shape.length; d++) {
            if (shape[d] < 0) {
                throw new IllegalArgumentException(role + " has a negative dimension: " + o);
            }
            if (shape[d] == 0) {
                return b;
            }
            long span = (shape[d] - 1) * strides[d];
            if (span < 0) {
                lo += span;
            } else {
                hi += span;
            }
        }
        if (lo < 0 || hi >= b.size()) {
            throw new IndexOutOfBoundsException(role + " " + o + " addresses elements " + lo + " to " + hi
                    + ", outside its buffer of " + b.size());
        }
        return b;
    }

    static ClBuffer buffer(DeviceBuffer buffer, ClDevice device, String role) {
        if (!(buffer instanceof ClBuffer) || !buffer.device().equals(device.device())) {
            throw new IllegalArgumentException("device '" + device.device() + "' cannot use " + role + " " + buffer
                    + ": it was not allocated there by this backend");
        }
        ClBuffer b = (ClBuffer) buffer;
        if (b.freed) {
            throw new IllegalStateException(role + " " + b + " was freed");
        }
        return b;
    }

    static void range(ClBuffer b, long offset, long count, String call) {
        if (offset < 0 || count < 0 || offset + count > b.size()) {
            throw new IndexOutOfBoundsException(call + ": range [" + offset + ", " + (offset + count)
                    + ") outside " + b);
        }
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
            throw unsupported(op, src.dtype());
        }
        if (op != UnaryOp.LOGICAL_NOT && src.dtype() == DType.BOOL) {
            throw unsupported(op, src.dtype());
        }
        expect(op, "destination", dst.dtype(), op == UnaryOp.LOGICAL_NOT ? DType.BOOL : src.dtype());
    }

    static void binary(BinaryOp op, Operand dst, Operand a, Operand b) {
        sameShape(op.toString(), dst, a, b);
        expect(op, "second operand", b.dtype(), a.dtype());
        expect(op, "destination", dst.dtype(), op.producesBool() ? DType.BOOL : a.dtype());
        if (op == BinaryOp.DIV && !a.dtype().isFloatingPoint()) {
            throw unsupported(op, a.dtype());
        }
        if ((op == BinaryOp.LOGICAL_AND || op == BinaryOp.LOGICAL_OR) && a.dtype() != DType.BOOL) {
            throw unsupported(op, a.dtype());
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
        if (dst.dtype() == DType.BOOL) {
            throw unsupported("matmul", DType.BOOL);
        }
    }

    private static void expect(Object call, String role, DType actual, DType expected) {
        if (actual != expected) {
            throw new IllegalArgumentException(call + ": the " + role + " is " + actual + ", expected " + expected);
        }
    }
}
