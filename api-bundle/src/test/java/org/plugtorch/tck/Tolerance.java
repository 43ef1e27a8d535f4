package org.plugtorch.tck;

import org.plugtorch.DType;

/**
 * How closely a backend's element must match the reference's. Integer and bool elements always match exactly;
 * the modes differ for floating point only, and NaN always matches NaN (of any payload), never a number.
 *
 * <ul>
 * <li>{@link #exact()}: the same bits, so -0 and 0 differ: copies, fill, where, sign changes, comparisons,
 *     maximum/minimum, and the IEEE-754 basic operations add, subtract and multiply (correctly rounded on every
 *     device).</li>
 * <li>{@link #sameValue()}: equal as numbers, -0 equal to 0: MAX and MIN reductions, where the SPI leaves open
 *     which of two equal zeros is kept.</li>
 * <li>{@link #ulps}: within so many units in the last place of the result's dtype: division, square roots and
 *     transcendental functions, whose accuracy devices only bound (OpenCL's limits for single precision are used,
 *     the loosest of the targets). Results that both fall below the smallest normal number match, since devices
 *     may flush subnormals to zero.</li>
 * <li>{@link #accumulated}: sums of {@code terms} terms (SUM, PROD, matmul) within
 *     {@code (terms + 2) * eps * magnitude}, where eps is half an ulp of 1 in the result's dtype and the magnitude
 *     is the same reduction of the absolute values, which bounds the rounding error of any summation order. A
 *     non-finite expected value (NaN, ±inf) must be matched exactly.</li>
 * </ul>
 */
final class Tolerance {
    private enum Mode {
        EXACT,
        SAME_VALUE,
        ULPS,
        ACCUMULATED
    }

    private final Mode mode;
    private final int ulps;
    private final long terms;

    private Tolerance(Mode mode, int ulps, long terms) {
        this.mode = mode;
        this.ulps = ulps;
        this.terms = terms;
    }

    static Tolerance exact() {
        return new Tolerance(Mode.EXACT, 0, 0);
    }

    static Tolerance sameValue() {
        return new Tolerance(Mode.SAME_VALUE, 0, 0);
    }

    static Tolerance ulps(int ulps) {
        return new Tolerance(Mode.ULPS, ulps, 0);
    }

    static Tolerance accumulated(long terms) {
        return new Tolerance(Mode.ACCUMULATED, 0, terms);
    }

    /** True when the check needs the reduction of absolute values ({@link #accumulated}). */
    boolean needsMagnitude() {
        return mode == Mode.ACCUMULATED;
    }

    /**
     * Why {@code actual} does not match {@code expected}, or null when it does.
     *
     * @param magnitude the reference reduction of absolute values (accumulated mode only)
     */
    String mismatch(DType dtype, double expected, double actual, double magnitude) {
        boolean single = dtype == DType.FLOAT32;
        if (Double.isNaN(expected) || Double.isNaN(actual)) {
            return Double.isNaN(expected) && Double.isNaN(actual) ? null : "NaN must match NaN";
        }
        switch (mode) {
            case EXACT:
                return Double.doubleToLongBits(expected) == Double.doubleToLongBits(actual)
                        ? null
                        : "expected exactly (bit for bit)";
            case SAME_VALUE:
                return expected == actual ? null : "expected the same value";
            case ULPS: {
                double minNormal = single ? Float.MIN_NORMAL : Double.MIN_NORMAL;
                if (Math.abs(expected) < minNormal && Math.abs(actual) < minNormal) {
                    return null;
                }
                long distance = single ? ulpDistance((float) expected, (float) actual) : ulpDistance(expected, actual);
                return distance <= ulps ? null : "expected within " + ulps + " ulps, off by " + distance;
            }
            default: {
                if (Double.isInfinite(expected) || Double.isInfinite(actual)) {
                    return expected == actual ? null : "infinities must match exactly";
                }
                double eps = single ? 0x1p-24 : 0x1p-53;
                double bound = (terms + 2) * eps * magnitude;
                return Math.abs(expected - actual) <= bound
                        ? null
                        : "expected within (terms + 2) * eps * sum|terms| = (" + terms + " + 2) * " + eps + " * "
                                + magnitude + " = " + bound + ", off by " + Math.abs(expected - actual);
            }
        }
    }

    /** Units in the last place between two floats, counting -0 and 0 as one point and inf as one past the largest. */
    static long ulpDistance(float a, float b) {
        return Math.abs((long) ordered(a) - ordered(b));
    }

    static long ulpDistance(double a, double b) {
        long x = ordered(a);
        long y = ordered(b);
        if ((x < 0) != (y < 0)) {
            // opposite signs: the distance is the sum of both distances from zero, which may not fit in a long
            long ax = Math.abs(x);
            long ay = Math.abs(y);
            return ax > Long.MAX_VALUE - ay ? Long.MAX_VALUE : ax + ay;
        }
        return Math.abs(x - y);
    }

    private static int ordered(float f) {
        int bits = Float.floatToRawIntBits(f);
        return bits < 0 ? Integer.MIN_VALUE - bits : bits;
    }

    private static long ordered(double d) {
        long bits = Double.doubleToRawLongBits(d);
        return bits < 0 ? Long.MIN_VALUE - bits : bits;
    }

    @Override
    public String toString() {
        switch (mode) {
            case ULPS:
                return ulps + " ulps";
            case ACCUMULATED:
                return "accumulated over " + terms + " terms";
            default:
                return mode.name().toLowerCase().replace('_', ' ');
        }
    }
}
