package org.plugtorch.spi;

/**
 * Element-wise functions of one operand. Source and destination have the same shape; each op declares the dtypes
 * it takes ({@link #domain()}), whether it writes bool or the source's dtype ({@link #producesBool()}), and the
 * accuracy a backend must meet on floating point ({@link #maxUlps()}, against the exact result rounded to the
 * dtype). The runtime casts before calling: a backend never sees an operand outside the domain.
 */
public enum UnaryOp {
    /** {@code -x}. */
    NEG(OpDomain.NUMERIC, false, 0),
    /** {@code |x|}. */
    ABS(OpDomain.NUMERIC, false, 0),
    /** {@code (0 < x) - (x < 0)}, as PyTorch computes it: NaN and -0 give 0. */
    SIGN(OpDomain.NUMERIC, false, 0),
    /** {@code x < 0 ? 0 : x}: NaN and -0 stay as they are. */
    RELU(OpDomain.NUMERIC, false, 0),
    EXP(OpDomain.FLOATING, false, 3),
    LOG(OpDomain.FLOATING, false, 3),
    SQRT(OpDomain.FLOATING, false, 3),
    /** {@code 1 / sqrt(x)}. */
    RSQRT(OpDomain.FLOATING, false, 2),
    /** {@code 1 / x}. */
    RECIPROCAL(OpDomain.FLOATING, false, 3),
    SIN(OpDomain.FLOATING, false, 4),
    COS(OpDomain.FLOATING, false, 4),
    TANH(OpDomain.FLOATING, false, 5),
    /** {@code 1 / (1 + exp(-x))}: exp, an add and a division, their bounds added up. */
    SIGMOID(OpDomain.FLOATING, false, 8),
    /** {@code x == 0}, into bool. */
    LOGICAL_NOT(OpDomain.ANY, true, 0);

    private final OpDomain domain;
    private final boolean producesBool;
    private final int maxUlps;

    UnaryOp(OpDomain domain, boolean producesBool, int maxUlps) {
        this.domain = domain;
        this.producesBool = producesBool;
        this.maxUlps = maxUlps;
    }

    /** The dtypes the op takes. */
    public OpDomain domain() {
        return domain;
    }

    /** True for the ops that take only floating-point operands. */
    public boolean floatingOnly() {
        return domain == OpDomain.FLOATING;
    }

    /** True when the destination is bool; otherwise it has the source's dtype. */
    public boolean producesBool() {
        return producesBool;
    }

    /** The largest error a backend may make on floating point, in units in the last place; 0 means exact. */
    public int maxUlps() {
        return maxUlps;
    }
}
