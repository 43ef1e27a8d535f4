package org.plugtorch.cuda;

import java.util.Arrays;
import org.plugtorch.DType;
import org.plugtorch.spi.BinaryOp;
import org.plugtorch.spi.Operand;
import org.plugtorch.spi.ReduceOp;
import org.plugtorch.spi.UnaryOp;

/**
 * Checks that a call keeps the SPI's rules before a kernel is queued: the runtime guarantees them, but a kernel that
 * reads outside its buffer corrupts the device context for every later call, so a broken caller gets a message naming
 * the operand instead. The checks cost O(rank) per operand.
 */
final class OperandChecks {
    private OperandChecks() {
    }

    static IllegalArgumentException unsupported(Object op, DType dtype) {
        return new IllegalArgumentException(op + " is not defined for " + dtype.torchName() + " operands (cuda backend)");
    }

    /** The operand's buffer, after checking it is a live buffer of {@code device} and holds every element addressed. */
    static CudaBuffer buffer(Operand o, String role, CudaDevice device) {
        if (!(o.buffer() instanceof CudaBuffer)) {
            throw new IllegalArgumentException("the cuda backend computes on its own buffers; the " + role + " is "
                    + o.buffer());
        }
        CudaBuffer b = (CudaBuffer) o.buffer();
        if (device != null && b.owner != device) {
            throw new IllegalArgumentException("the " + role + " is on " + b.device() + ", not " + device.device);
        }
        if (b.isFreed()) {
            throw new IllegalStateException("the " + role + " " + b + " was freed");
        }
        inBounds(o, role, b.size);
        return b;
    }

    static void inBounds(Operand o, String role, long size) {
        long lo = o.offset();
        long hi = o.offset();
        long[] shape = o.shape();
        for (int d = 0; d < shape.length; d++) {
            if (shape[d] < 0) {
                throw new IllegalArgumentException("the " + role + " has a negative dimension: " + o);
            }
            if (shape[d] == 0) {
                return;
            }
            long span = (shape[d] - 1) * o.strides()[d];
            if (span < 0) {
                lo += span;
            } else {
                hi += span;
            }
        }
        if (lo < 0 || hi >= size) {
            throw new IndexOutOfBoundsException("the " + role + " " + o + " addresses elements " + lo + " to " + hi
                    + ", outside its buffer of " + size);
        }
    }

    static void sameShape(Object call, Operand dst, Operand... inputs) {
        for (Operand in : inputs) {
            if (!Arrays.equals(dst.shape(), in.shape())) {
                throw new IllegalArgumentException(call + ": operand shape " + Arrays.toString(in.shape())
                        + " differs from the destination's " + Arrays.toString(dst.shape()));
            }
        }
    }

    static void unary(UnaryOp op, Operand dst, Operand src) {
        sameShape(op, dst, src);
        if (op == UnaryOp.LOGICAL_NOT) {
            expect(op, "destination", dst.dtype(), DType.BOOL);
            return;
        }
        if (op.floatingOnly() ? !src.dtype().isFloatingPoint() : src.dtype() == DType.BOOL) {
            throw unsupported(op, src.dtype());
        }
        expect(op, "destination", dst.dtype(), src.dtype());
    }

    static void binary(BinaryOp op, Operand dst, Operand a, Operand b) {
        sameShape(op, dst, a, b);
        expect(op, "second operand", b.dtype(), a.dtype());
        expect(op, "destination", dst.dtype(), op.producesBool() ? DType.BOOL : a.dtype());
        if (op == BinaryOp.DIV && !a.dtype().isFloatingPoint()) {
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
