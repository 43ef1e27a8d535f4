package org.plugtorch.spi;

/**
 * Element-wise functions of two operands of the same shape and dtype (the runtime broadcasts with stride-0 views and
 * casts to the promoted dtype before calling). Each op declares the dtypes it takes ({@link #domain()}), whether it
 * writes bool or the operands' dtype ({@link #producesBool()}), and its accuracy on floating point
 * ({@link #maxUlps()}). Bool operands of arithmetic ops compute as the integers 0 and 1 and store {@code != 0} (so
 * ADD is "or" and MUL is "and", as in PyTorch). Integer arithmetic wraps around as two's complement.
 */
public enum BinaryOp {
    ADD(OpDomain.ANY, false, 0),
    /** Not on bool (PyTorch refuses it; the runtime says so). */
    SUB(OpDomain.NUMERIC, false, 0),
    MUL(OpDomain.ANY, false, 0),
    /** True division (the runtime promotes integers to float32 first, as PyTorch does). */
    DIV(OpDomain.FLOATING, false, 3),
    /**
     * {@code a ** b}. An integer base with a negative integer exponent gives PyTorch's integer results: 1 for base 1,
     * 1 or -1 for base -1 (by the exponent's parity), 0 otherwise (base 0 included).
     */
    POW(OpDomain.ANY, false, 16),
    /** NaN when either is NaN, else {@code a < b ? b : a} (so {@code maximum(-0, 0)} is -0, as in PyTorch). */
    MAXIMUM(OpDomain.ANY, false, 0),
    /** NaN when either is NaN, else {@code a > b ? b : a}. */
    MINIMUM(OpDomain.ANY, false, 0),
    EQ(OpDomain.ANY, true, 0),
    NE(OpDomain.ANY, true, 0),
    LT(OpDomain.ANY, true, 0),
    LE(OpDomain.ANY, true, 0),
    GT(OpDomain.ANY, true, 0),
    GE(OpDomain.ANY, true, 0),
    LOGICAL_AND(OpDomain.BOOL, true, 0),
    LOGICAL_OR(OpDomain.BOOL, true, 0),
    /** PyTorch's leaky_relu with {@code b} the negative slope: {@code a > 0 ? a : a * b} (NaN stays NaN). */
    LEAKY_RELU(OpDomain.FLOATING, false, 0);

    private final OpDomain domain;
    private final boolean producesBool;
    private final int maxUlps;

    BinaryOp(OpDomain domain, boolean producesBool, int maxUlps) {
        this.domain = domain;
        this.producesBool = producesBool;
        this.maxUlps = maxUlps;
    }

    /** The dtypes the op takes. */
    public OpDomain domain() {
        return domain;
    }

    /** True when the destination is bool; otherwise it has the operands' dtype. */
    public boolean producesBool() {
        return producesBool;
    }

    /** The largest error a backend may make on floating point, in units in the last place; 0 means exact. */
    public int maxUlps() {
        return maxUlps;
    }
}
