package org.plugtorch.tck;

import java.math.BigDecimal;
import java.math.MathContext;

/**
 * The special functions the reference backend needs and {@code java.lang.Math} lacks, computed independently of
 * any backend's method: erf by its Taylor series in 64-digit decimal arithmetic (exact to far below a double's
 * precision up to |x| = 6, where erfc is 2e-17), and erfc beyond 6 by its continued fraction, with
 * {@code exp(-x^2)} taken with the rounding of {@code x^2} corrected. Slow, and plain on purpose.
 */
final class ReferenceMath {
    private static final MathContext DIGITS = new MathContext(64);
    private static final BigDecimal TWO_OVER_ROOT_PI =
            new BigDecimal("1.1283791670955125738961589031215451716881012586579977136881714434");

    private ReferenceMath() {}

    static double erf(double x) {
        if (Double.isNaN(x)) {
            return x;
        }
        if (Math.abs(x) > 6) {
            return Math.copySign(1 - erfcTail(Math.abs(x)), x);
        }
        return erfSeries(x).doubleValue();
    }

    static double erfc(double x) {
        if (Double.isNaN(x)) {
            return x;
        }
        if (x > 6) {
            return erfcTail(x);
        }
        if (x < -6) {
            return 2 - erfcTail(-x);
        }
        return BigDecimal.ONE.subtract(erfSeries(x), DIGITS).doubleValue();
    }

    /** {@code 2/sqrt(pi) * sum (-1)^n x^(2n+1) / (n! (2n+1))}, until a term no longer matters. */
    private static BigDecimal erfSeries(double x) {
        BigDecimal bx = new BigDecimal(x);
        BigDecimal x2 = bx.multiply(bx, DIGITS);
        BigDecimal power = bx; // x^(2n+1) / n!
        BigDecimal sum = BigDecimal.ZERO;
        BigDecimal limit = new BigDecimal("1e-70");
        for (int n = 0; n < 2000; n++) {
            BigDecimal term = power.divide(BigDecimal.valueOf(2L * n + 1), DIGITS);
            sum = n % 2 == 0 ? sum.add(term, DIGITS) : sum.subtract(term, DIGITS);
            if (term.abs().compareTo(limit) < 0 && n > 2) {
                break;
            }
            power = power.multiply(x2, DIGITS).divide(BigDecimal.valueOf(n + 1L), DIGITS);
        }
        return sum.multiply(TWO_OVER_ROOT_PI, DIGITS);
    }

    /**
     * erfc for {@code x > 6}: {@code exp(-x^2) / sqrt(pi)} over the continued fraction
     * {@code x + (1/2) / (x + 1 / (x + (3/2) / (x + ...)))}, evaluated from its tail.
     */
    private static double erfcTail(double x) {
        if (x > 27.3) {
            return 0; // below the smallest double (and x * x would overflow beyond 1e154)
        }
        double fraction = x;
        for (int k = 200; k >= 1; k--) {
            fraction = x + (k / 2.0) / fraction;
        }
        double square = x * x;
        double squareError = Math.fma(x, x, -square);
        return Math.exp(-square) * (1 - squareError) / (Math.sqrt(Math.PI) * fraction);
    }
}
