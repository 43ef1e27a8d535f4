package org.plugtorch.cpu;

import org.plugtorch.spi.HostBuffer;
import org.plugtorch.spi.Operand;

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
}
