package org.plugtorch.spi;

/**
 * Element-wise functions of two operands of the same shape and dtype (the runtime broadcasts with stride-0 views and
 * casts to the promoted dtype before calling). Arithmetic ops write that dtype; comparisons and logical ops write bool.
 * Bool operands of arithmetic ops compute as the integers 0 and 1 and store {@code != 0} (so ADD is "or" and MUL is
 * "and", as in PyTorch; the runtime refuses SUB on bools). Integer arithmetic wraps around as two's complement.
 */
public enum BinaryOp {
    ADD,
    SUB,
    MUL,
    /** True division; floating point only (the runtime promotes integers to float32 first, as PyTorch does). */
    DIV,
    /**
     * {@code a ** b}. An integer base with a negative integer exponent gives PyTorch's integer results: 1 for base 1,
     * 1 or -1 for base -1 (by the exponent's parity), 0 otherwise (base 0 included).
     */
    POW,
    /** NaN when either is NaN, else {@code a < b ? b : a} (so {@code maximum(-0, 0)} is -0, as in PyTorch). */
    MAXIMUM,
    /** NaN when either is NaN, else {@code a > b ? b : a}. */
    MINIMUM,
    EQ,
    NE,
    LT,
    LE,
    GT,
    GE,
    /** Bool operands. */
    LOGICAL_AND,
    /** Bool operands. */
    LOGICAL_OR;

    /** True when the destination is bool. */
    public boolean producesBool() {
        return compareTo(EQ) >= 0;
    }
}
