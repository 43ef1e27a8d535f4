package org.plugtorch.internal.runtime;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;

/**
 * Python's {@code repr} of the values modules and optimizers print in their configuration, so that they read as
 * PyTorch's. Internal: not exported from the bundle.
 */
public final class PyRepr {
    private PyRepr() {}

    /**
     * Python's {@code repr(float)}: the shortest digits that read back as the same double, in positional notation
     * for exponents from -4 to 15 ({@code 0.1}, {@code 0.0001}, {@code 123.0}) and scientific otherwise
     * ({@code 1e-05}, {@code 1e+16}).
     */
    public static String ofDouble(double v) {
        if (Double.isNaN(v)) {
            return "nan";
        }
        if (Double.isInfinite(v)) {
            return v > 0 ? "inf" : "-inf";
        }
        if (v == 0) {
            return Math.copySign(1.0, v) < 0 ? "-0.0" : "0.0";
        }
        BigDecimal exact = new BigDecimal(Math.abs(v));
        BigDecimal shortest = exact;
        for (int digits = 1; digits <= 17; digits++) {
            BigDecimal candidate = exact.round(new MathContext(digits, RoundingMode.HALF_EVEN));
            if (candidate.doubleValue() == Math.abs(v)) {
                shortest = candidate;
                break;
            }
        }
        String digits = shortest.unscaledValue().toString().replaceAll("0+$", "");
        if (digits.isEmpty()) {
            digits = "0";
        }
        int exponent = shortest.precision() - shortest.scale() - 1;
        String sign = v < 0 ? "-" : "";
        if (exponent < -4 || exponent >= 16) {
            String mantissa = digits.length() == 1 ? digits : digits.charAt(0) + "." + digits.substring(1);
            String e = Integer.toString(Math.abs(exponent));
            return sign + mantissa + "e" + (exponent < 0 ? "-" : "+") + (e.length() < 2 ? "0" : "") + e;
        }
        String plain = shortest.stripTrailingZeros().toPlainString();
        return sign + (plain.contains(".") ? plain : plain + ".0");
    }

    /** Python's {@code True} and {@code False}. */
    public static String ofBoolean(boolean b) {
        return b ? "True" : "False";
    }

    /**
     * Python's {@code str} of a configuration value: numbers ({@code Integer} and {@code Long} as ints, others as
     * floats), booleans, {@code None} for null, lists as tuples, anything else by its {@code toString}.
     */
    public static String of(Object value) {
        if (value == null) {
            return "None";
        }
        if (value instanceof Boolean) {
            return ofBoolean((Boolean) value);
        }
        if (value instanceof Integer || value instanceof Long) {
            return value.toString();
        }
        if (value instanceof Number) {
            return ofDouble(((Number) value).doubleValue());
        }
        if (value instanceof java.util.List) {
            StringBuilder sb = new StringBuilder("(");
            java.util.List<?> items = (java.util.List<?>) value;
            for (int i = 0; i < items.size(); i++) {
                sb.append(i == 0 ? "" : ", ").append(of(items.get(i)));
            }
            return sb.append(items.size() == 1 ? ",)" : ")").toString();
        }
        return value.toString();
    }

    /** Python's {@code repr} of a tuple of ints: {@code (4,)}, {@code (2, 3)}. */
    public static String ofTuple(long[] values) {
        StringBuilder sb = new StringBuilder("(");
        for (int i = 0; i < values.length; i++) {
            sb.append(i == 0 ? "" : ", ").append(values[i]);
        }
        return sb.append(values.length == 1 ? ",)" : ")").toString();
    }
}
