package org.plugtorch.cuda;

import org.plugtorch.DType;
import org.plugtorch.spi.Operand;

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
}
