package org.plugtorch.opencl;

import org.plugtorch.DType;
import org.plugtorch.spi.DeviceBuffer;
import org.plugtorch.spi.Operand;
import org.plugtorch.spi.OperandRules;

/**
 * Checks that a call keeps the SPI's rules before anything is launched. On a device the stakes are higher than on
 * the host: every buffer of a dtype lives in one arena, so an operand that strayed outside its buffer would read or
 * overwrite other tensors, with no exception to tell. The checks cost O(rank).
 */
final class ClOperands {
    private ClOperands() {}

    static IllegalArgumentException unsupported(Object op, DType dtype) {
        return new IllegalArgumentException(
                op + " is not defined for " + dtype.torchName() + " operands (opencl backend)");
    }

    /** The operand's buffer, after checking it is a live buffer of {@code device} and every element is inside it. */
    static ClBuffer buffer(Operand o, ClDevice device, String role) {
        ClBuffer b = buffer(o.buffer(), device, role);
        OperandRules.inBounds(o, role);
        device.settle(b);
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
        if (offset < 0 || count < 0 || offset > b.size() - count) {
            throw new IndexOutOfBoundsException(
                    call + ": range [" + offset + ", " + (offset + count) + ") outside " + b);
        }
    }
}
