package org.plugtorch.spi;

import org.plugtorch.DType;

/**
 * The dtypes an element-wise op takes, declared by each op constant: the runtime casts (or refuses) before a backend
 * sees an operand outside it, and the test kit runs each op on exactly these.
 */
public enum OpDomain {
    /** Every dtype; bool operands compute as the integers 0 and 1. */
    ANY,
    /** Every dtype but bool. */
    NUMERIC,
    /** float32 and float64 only: the runtime converts integer operands to float32 first. */
    FLOATING,
    /** bool only: the runtime converts other operands with {@code != 0} first. */
    BOOL;

    public boolean admits(DType dtype) {
        switch (this) {
            case ANY:
                return true;
            case NUMERIC:
                return dtype != DType.BOOL;
            case FLOATING:
                return dtype.isFloatingPoint();
            default:
                return dtype == DType.BOOL;
        }
    }
}
