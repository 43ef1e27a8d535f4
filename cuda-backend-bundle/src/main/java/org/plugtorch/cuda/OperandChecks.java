package org.plugtorch.cuda;

import org.plugtorch.DType;
import org.plugtorch.spi.Operand;
import org.plugtorch.spi.OperandRules;

/**
 * Checks that a call keeps the SPI's rules before a kernel is queued: the runtime guarantees them, but a kernel that
 * reads outside its buffer corrupts the device context for every later call, so a broken caller gets a message naming
 * the operand instead. The bounds are {@link OperandRules#inBounds}; the checks cost O(rank) per operand.
 */
final class OperandChecks {
    private OperandChecks() {}

    static IllegalArgumentException unsupported(Object op, DType dtype) {
        return new IllegalArgumentException(
                op + " is not defined for " + dtype.torchName() + " operands (cuda backend)");
    }

    /**
     * The operand's buffer, after checking it is a live buffer of {@code device} (any device when null) and holds
     * every element addressed; {@code role} names the operand in messages ("the destination").
     */
    static CudaBuffer buffer(Operand o, String role, CudaDevice device) {
        if (!(o.buffer() instanceof CudaBuffer)) {
            throw new IllegalArgumentException(
                    "the cuda backend computes on its own buffers; " + role + " is " + o.buffer());
        }
        CudaBuffer b = (CudaBuffer) o.buffer();
        if (device != null && b.owner != device) {
            throw new IllegalArgumentException(role + " is on " + b.device() + ", not " + device.device);
        }
        if (b.isFreed()) {
            throw new IllegalStateException(role + " " + b + " was freed");
        }
        OperandRules.inBounds(o, role);
        return b;
    }
}
