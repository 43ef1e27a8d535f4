package org.plugtorch.cpu;

import org.plugtorch.spi.HostBuffer;
import org.plugtorch.spi.Operand;
import org.plugtorch.spi.OperandRules;

/**
 * Checks that a call keeps the SPI's rules (host buffers, and {@link OperandRules}' shapes, dtypes and elements in
 * bounds) before any kernel runs: the runtime guarantees them, but a broken caller then gets a message naming the
 * operand, not an {@link ArrayIndexOutOfBoundsException} from the middle of a half-written output. The checks cost
 * O(rank).
 */
final class HostOperands {
    private HostOperands() {}

    static IllegalArgumentException unsupported(Object op, String dtype) {
        return new IllegalArgumentException(op + " is not defined for " + dtype + " operands (cpu backend)");
    }

    /** The operand's host buffer, after checking that every element it addresses lies inside it. */
    static HostBuffer host(Operand o, String role) {
        if (!(o.buffer() instanceof HostBuffer)) {
            throw new IllegalArgumentException(
                    "the cpu backend computes on host buffers; " + role + " is " + o.buffer());
        }
        OperandRules.inBounds(o, role);
        return (HostBuffer) o.buffer();
    }
}
