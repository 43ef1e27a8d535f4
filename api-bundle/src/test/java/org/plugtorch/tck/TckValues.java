package org.plugtorch.tck;

import java.util.Random;
import org.plugtorch.DType;
import org.plugtorch.spi.HostBuffer;

/**
 * Seeded test data. Each domain is a mix of ordinary values and the special ones that break kernels (NaN, ±inf,
 * -0, extreme magnitudes, integer limits), shaped to what an op can meaningfully be asked: sums get moderate
 * values so that float32 accumulation order cannot overflow differently, casts to integers stay inside the target
 * range (outside it C leaves the result undefined), comparisons get many ties.
 */
enum TckValues {
    /** Ordinary values of three magnitudes plus every special. */
    GENERAL,
    /** Finite values of moderate size, for sums and products of many terms. */
    MODERATE,
    /** Moderate values, a few NaN, ±inf and ±0 among them. */
    MODERATE_WITH_SPECIALS,
    /** Magnitudes in [0.5, 2) of either sign (integers: -2..2), so long products stay in range. */
    NEAR_ONE,
    /** Mostly positive over many magnitudes, with zeros, negatives and specials: log, sqrt, rsqrt. */
    POSITIVE,
    /** [-100, 100]: exp and sigmoid over- and underflow at both ends. */
    EXP_RANGE,
    /** Mostly [-10, 10], some arguments up to 1e6, and specials: sin, cos. */
    TRIG_RANGE,
    /** A small pool, so that equal values (and -0 against 0, NaN against NaN) meet often. */
    TIES,
    /** Bases for pow: ±0, ±1, ±2, ±inf, NaN, fractions, random; integers -5..5 and the limits. */
    POW_BASE,
    /** Exponents for pow: integers, halves, ±inf, NaN; integers -3..40. */
    POW_EXPONENT,
    /** Floating-point values that truncate to int32 without overflow (fractions of both signs, ±0, large). */
    CASTABLE_TO_INT32,
    /** Floating-point values that truncate to int64 without overflow. */
    CASTABLE_TO_INT64;

    private static final double[] FLOAT_TIES = {
        -0.0, 0.0, 1, -1, 2.5, -2.5, Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY
    };
    private static final long[] LONG_TIES = {-1, 0, 1, 2, 7, Long.MIN_VALUE, Long.MAX_VALUE};
    private static final long[] INT_TIES = {-1, 0, 1, 2, 7, Integer.MIN_VALUE, Integer.MAX_VALUE};
    /** Integer values that wrap, round when converted to float32 or float64, or sit at the limits. */
    private static final long[] LONG_SPECIALS = {
        0,
        1,
        -1,
        Long.MIN_VALUE,
        Long.MAX_VALUE,
        Long.MIN_VALUE + 1,
        Long.MAX_VALUE - 1,
        1L << 31,
        -(1L << 31),
        (1L << 60) + (1L << 36) + 1,
        (1L << 53) + 1,
        (1L << 24) + 1,
        65536,
        -65536,
        3037000500L
    };

    private static final long[] INT_SPECIALS = {
        0,
        1,
        -1,
        Integer.MIN_VALUE,
        Integer.MAX_VALUE,
        Integer.MIN_VALUE + 1,
        Integer.MAX_VALUE - 1,
        (1 << 24) + 1,
        65536,
        -65536,
        46341
    };

    /** A buffer of {@code size} elements of this domain. */
    HostBuffer fill(DType dtype, long size, Random r) {
        HostBuffer h = HostBuffer.allocate(dtype, size);
        int n = (int) size;
        switch (dtype) {
            case FLOAT32: {
                float[] v = h.floats();
                for (int i = 0; i < n; i++) {
                    v[i] = (float) nextDouble(r, true);
                }
                break;
            }
            case FLOAT64: {
                double[] v = h.doubles();
                for (int i = 0; i < n; i++) {
                    v[i] = nextDouble(r, false);
                }
                break;
            }
            case INT64: {
                long[] v = h.longs();
                for (int i = 0; i < n; i++) {
                    v[i] = nextLong(r, false);
                }
                break;
            }
            case INT32: {
                int[] v = h.ints();
                for (int i = 0; i < n; i++) {
                    v[i] = (int) nextLong(r, true);
                }
                break;
            }
            default: {
                byte[] v = h.bools();
                for (int i = 0; i < n; i++) {
                    v[i] = (byte) (r.nextInt(3) == 0 ? 0 : 1);
                }
            }
        }
        return h;
    }

    private double nextDouble(Random r, boolean float32) {
        double huge = float32 ? 3.0e38 : 1.0e300;
        double tiny = float32 ? 1.0e-30 : 1.0e-300;
        double inf = Double.POSITIVE_INFINITY;
        switch (this) {
            case GENERAL:
                if (r.nextInt(5) > 0) {
                    return r.nextGaussian() * pick(r, 1, 1000, 1e-3);
                }
                return pick(r, Double.NaN, inf, -inf, 0.0, -0.0, 1, -1, huge, -huge, tiny, -tiny, 0.5, 2);
            case MODERATE:
                return r.nextGaussian() * pick(r, 1, 10, 100);
            case MODERATE_WITH_SPECIALS:
                if (r.nextInt(10) > 0) {
                    return r.nextGaussian() * pick(r, 1, 10, 100);
                }
                return pick(r, Double.NaN, inf, -inf, 0.0, -0.0);
            case NEAR_ONE:
                return (0.5 + 1.5 * r.nextDouble()) * (r.nextBoolean() ? 1 : -1);
            case POSITIVE:
                if (r.nextInt(7) > 0) {
                    return Math.exp(r.nextDouble() * 40 - 20);
                }
                return pick(r, 0.0, -0.0, -1, -2.5, inf, -inf, Double.NaN, 1, tiny, huge);
            case EXP_RANGE:
                if (r.nextInt(7) > 0) {
                    return r.nextDouble() * 200 - 100;
                }
                return pick(r, 0.0, -0.0, Double.NaN, inf, -inf, 1, -1, 88.7, -87.3, 709.7, -745.1);
            case TRIG_RANGE:
                if (r.nextInt(7) > 0) {
                    return r.nextInt(5) > 0 ? r.nextDouble() * 20 - 10 : r.nextDouble() * 2e4 - 1e4;
                }
                return pick(r, 0.0, -0.0, Double.NaN, inf, -inf, Math.PI, -Math.PI / 2, 1e6, -123456.7);
            case TIES:
                return FLOAT_TIES[r.nextInt(FLOAT_TIES.length)];
            case POW_BASE:
                if (r.nextInt(5) > 1) {
                    return pick(r, 0.0, -0.0, 1, -1, 2, -2, 0.5, -0.5, 3, 10, inf, -inf, Double.NaN);
                }
                return r.nextGaussian() * 3;
            case POW_EXPONENT:
                if (r.nextInt(5) > 1) {
                    return pick(r, 0.0, -0.0, 1, -1, 2, -2, 3, 0.5, -0.5, 2.5, inf, -inf, Double.NaN, 1.0 / 3);
                }
                return r.nextDouble() * 8 - 4;
            case CASTABLE_TO_INT32:
            case CASTABLE_TO_INT64:
                double limit = this == CASTABLE_TO_INT32 ? 2.0e9 : 9.0e18;
                switch (r.nextInt(3)) {
                    case 0:
                        return r.nextGaussian() * 100;
                    case 1:
                        return pick(r, 0.0, -0.0, 0.5, -0.5, 0.99, -0.99, -1.5, 2.5, -7.999);
                    default:
                        return (r.nextDouble() * 2 - 1) * limit;
                }
            default:
                throw new AssertionError(this);
        }
    }

    private long nextLong(Random r, boolean int32) {
        long[] specials = int32 ? INT_SPECIALS : LONG_SPECIALS;
        switch (this) {
            case GENERAL:
            case MODERATE_WITH_SPECIALS:
            case CASTABLE_TO_INT32:
            case CASTABLE_TO_INT64:
                return r.nextInt(10) < 7 ? r.nextInt(201) - 100 : specials[r.nextInt(specials.length)];
            case MODERATE:
            case POSITIVE:
            case EXP_RANGE:
            case TRIG_RANGE:
                return r.nextInt(2001) - 1000;
            case NEAR_ONE:
                return r.nextInt(5) - 2;
            case TIES:
                long[] ties = int32 ? INT_TIES : LONG_TIES;
                return ties[r.nextInt(ties.length)];
            case POW_BASE:
                return r.nextInt(5) > 0
                        ? r.nextInt(11) - 5
                        : pick(
                                r,
                                int32 ? Integer.MIN_VALUE : Long.MIN_VALUE,
                                int32 ? Integer.MAX_VALUE : Long.MAX_VALUE,
                                1000,
                                -3);
            case POW_EXPONENT:
                return r.nextInt(44) - 3;
            default:
                throw new AssertionError(this);
        }
    }

    private static double pick(Random r, double... choices) {
        return choices[r.nextInt(choices.length)];
    }

    private static long pick(Random r, long... choices) {
        return choices[r.nextInt(choices.length)];
    }
}
