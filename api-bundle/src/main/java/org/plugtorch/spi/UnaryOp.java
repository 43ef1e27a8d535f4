package org.plugtorch.spi;

/**
 * Element-wise functions of one operand. Source and destination have the same shape and, unless noted, the same
 * dtype. The runtime casts before calling: a backend sees floating-point operands for the transcendental ones.
 */
public enum UnaryOp {
    /** {@code -x}; any numeric dtype. */
    NEG,
    /** {@code |x|}; any numeric dtype. */
    ABS,
    /** {@code (0 < x) - (x < 0)}, as PyTorch computes it: NaN and -0 give 0; any numeric dtype. */
    SIGN,
    /** {@code x < 0 ? 0 : x}: NaN and -0 stay as they are; any numeric dtype. */
    RELU,
    /** Floating point only from here on. */
    EXP,
    LOG,
    SQRT,
    /** {@code 1 / sqrt(x)}. */
    RSQRT,
    /** {@code 1 / x}. */
    RECIPROCAL,
    SIN,
    COS,
    TANH,
    /** {@code 1 / (1 + exp(-x))}. */
    SIGMOID,
    /** Any source dtype, bool destination: {@code x == 0}. */
    LOGICAL_NOT;

    /** True for the ops that take only floating-point operands. */
    public boolean floatingOnly() {
        return compareTo(EXP) >= 0 && this != LOGICAL_NOT;
    }
}
