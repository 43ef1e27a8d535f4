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
    /** The error function (OpenCL's bound for erf). */
    ERF(OpDomain.FLOATING, false, 16),
    /**
     * PyTorch's exact GELU, {@code x Φ(x)}, computed as {@code x / 2 * erfc(t)} with {@code t = -x * GELU_SCALE} in
     * the operand's dtype ({@link #GELU_SCALE} rounded to it): the bound holds against that t, since rounding t, which
     * every kernel does, moves erfc by up to {@code 2t²} ulps where the result is tiny. erfc (not {@code 1 + erf})
     * keeps the negative side accurate; OpenCL's bound for erfc and the product.
     */
    GELU(OpDomain.FLOATING, false, 18),
    /**
     * PyTorch's GELU with {@code approximate='tanh'}, {@code x / 2 * (1 + tanh(u))}, computed as the equal
     * {@code x / (1 + exp(-2u))} (no cancellation where x is very negative), with
     * {@code u = GELU_TANH_SCALE * (x + GELU_TANH_CUBIC * (x * x * x))} evaluated so, and the exponential, in the
     * operand's dtype (where it overflows, the result is a signed zero, as PyTorch's float kernel gives).
     */
    GELU_TANH(OpDomain.FLOATING, false, 10),
    /** SiLU (swish), {@code x / (1 + exp(-x))}, the exponential in the operand's dtype (as for GELU_TANH). */
    SILU(OpDomain.FLOATING, false, 8),
    /** {@code x == 0}, into bool. */
    LOGICAL_NOT(OpDomain.ANY, true, 0);

    /** 1/sqrt(2), which scales {@link #GELU}'s argument (C's {@code M_SQRT1_2}). */
    public static final double GELU_SCALE = 0.7071067811865476;
    /** sqrt(2/pi), which scales {@link #GELU_TANH}'s argument. */
    public static final double GELU_TANH_SCALE = 0.7978845608028654;
    /** The cubic term's coefficient of {@link #GELU_TANH}'s argument. */
    public static final double GELU_TANH_CUBIC = 0.044715;

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
