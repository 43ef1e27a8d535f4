package org.plugtorch.cpu;

import org.plugtorch.DType;

/**
 * Dtype conversions, as C casts them and PyTorch copies: float to integer truncates toward zero, integer to float
 * rounds to nearest, anything to bool is {@code != 0} (so NaN is true), bool to anything is 0 or 1, and narrowing
 * integers wrap around.
 */
final class Conversions {
    private Conversions() {}

    /** The kernel writing {@code arrays[0]} (of dtype {@code to}) from {@code arrays[1]} (of dtype {@code from}). */
    static RangeKernel copy(DType from, DType to) {
        if (from == to) {
            return (x, lo, hi) -> System.arraycopy(x[1], lo, x[0], lo, hi - lo);
        }
        switch (from) {
            case FLOAT32:
                return fromFloat(to);
            case FLOAT64:
                return fromDouble(to);
            case INT64:
                return fromLong(to);
            case INT32:
                return fromInt(to);
            default:
                return fromBool(to);
        }
    }

    private static RangeKernel fromFloat(DType to) {
        switch (to) {
            case FLOAT64:
                return (x, lo, hi) -> {
                    double[] d = (double[]) x[0];
                    float[] s = (float[]) x[1];
                    for (int i = lo; i < hi; i++) {
                        d[i] = s[i];
                    }
                };
            case INT64:
                return (x, lo, hi) -> {
                    long[] d = (long[]) x[0];
                    float[] s = (float[]) x[1];
                    for (int i = lo; i < hi; i++) {
                        d[i] = (long) s[i];
                    }
                };
            case INT32:
                return (x, lo, hi) -> {
                    int[] d = (int[]) x[0];
                    float[] s = (float[]) x[1];
                    for (int i = lo; i < hi; i++) {
                        d[i] = (int) (long) s[i];
                    }
                };
            default:
                return (x, lo, hi) -> {
                    byte[] d = (byte[]) x[0];
                    float[] s = (float[]) x[1];
                    for (int i = lo; i < hi; i++) {
                        d[i] = (byte) (s[i] != 0 ? 1 : 0);
                    }
                };
        }
    }

    private static RangeKernel fromDouble(DType to) {
        switch (to) {
            case FLOAT32:
                return (x, lo, hi) -> {
                    float[] d = (float[]) x[0];
                    double[] s = (double[]) x[1];
                    for (int i = lo; i < hi; i++) {
                        d[i] = (float) s[i];
                    }
                };
            case INT64:
                return (x, lo, hi) -> {
                    long[] d = (long[]) x[0];
                    double[] s = (double[]) x[1];
                    for (int i = lo; i < hi; i++) {
                        d[i] = (long) s[i];
                    }
                };
            case INT32:
                return (x, lo, hi) -> {
                    int[] d = (int[]) x[0];
                    double[] s = (double[]) x[1];
                    for (int i = lo; i < hi; i++) {
                        d[i] = (int) (long) s[i];
                    }
                };
            default:
                return (x, lo, hi) -> {
                    byte[] d = (byte[]) x[0];
                    double[] s = (double[]) x[1];
                    for (int i = lo; i < hi; i++) {
                        d[i] = (byte) (s[i] != 0 ? 1 : 0);
                    }
                };
        }
    }

    private static RangeKernel fromLong(DType to) {
        switch (to) {
            case FLOAT32:
                return (x, lo, hi) -> {
                    float[] d = (float[]) x[0];
                    long[] s = (long[]) x[1];
                    for (int i = lo; i < hi; i++) {
                        d[i] = s[i];
                    }
                };
            case FLOAT64:
                return (x, lo, hi) -> {
                    double[] d = (double[]) x[0];
                    long[] s = (long[]) x[1];
                    for (int i = lo; i < hi; i++) {
                        d[i] = s[i];
                    }
                };
            case INT32:
                return (x, lo, hi) -> {
                    int[] d = (int[]) x[0];
                    long[] s = (long[]) x[1];
                    for (int i = lo; i < hi; i++) {
                        d[i] = (int) s[i];
                    }
                };
            default:
                return (x, lo, hi) -> {
                    byte[] d = (byte[]) x[0];
                    long[] s = (long[]) x[1];
                    for (int i = lo; i < hi; i++) {
                        d[i] = (byte) (s[i] != 0 ? 1 : 0);
                    }
                };
        }
    }

    private static RangeKernel fromInt(DType to) {
        switch (to) {
            case FLOAT32:
                return (x, lo, hi) -> {
                    float[] d = (float[]) x[0];
                    int[] s = (int[]) x[1];
                    for (int i = lo; i < hi; i++) {
                        d[i] = s[i];
                    }
                };
            case FLOAT64:
                return (x, lo, hi) -> {
                    double[] d = (double[]) x[0];
                    int[] s = (int[]) x[1];
                    for (int i = lo; i < hi; i++) {
                        d[i] = s[i];
                    }
                };
            case INT64:
                return (x, lo, hi) -> {
                    long[] d = (long[]) x[0];
                    int[] s = (int[]) x[1];
                    for (int i = lo; i < hi; i++) {
                        d[i] = s[i];
                    }
                };
            default:
                return (x, lo, hi) -> {
                    byte[] d = (byte[]) x[0];
                    int[] s = (int[]) x[1];
                    for (int i = lo; i < hi; i++) {
                        d[i] = (byte) (s[i] != 0 ? 1 : 0);
                    }
                };
        }
    }

    private static RangeKernel fromBool(DType to) {
        switch (to) {
            case FLOAT32:
                return (x, lo, hi) -> {
                    float[] d = (float[]) x[0];
                    byte[] s = (byte[]) x[1];
                    for (int i = lo; i < hi; i++) {
                        d[i] = s[i];
                    }
                };
            case FLOAT64:
                return (x, lo, hi) -> {
                    double[] d = (double[]) x[0];
                    byte[] s = (byte[]) x[1];
                    for (int i = lo; i < hi; i++) {
                        d[i] = s[i];
                    }
                };
            case INT64:
                return (x, lo, hi) -> {
                    long[] d = (long[]) x[0];
                    byte[] s = (byte[]) x[1];
                    for (int i = lo; i < hi; i++) {
                        d[i] = s[i];
                    }
                };
            default:
                return (x, lo, hi) -> {
                    int[] d = (int[]) x[0];
                    byte[] s = (byte[]) x[1];
                    for (int i = lo; i < hi; i++) {
                        d[i] = s[i];
                    }
                };
        }
    }

    /**
     * The fill kernel for {@code value} converted to {@code dtype}. A Long, Integer, Short or Byte converts as an
     * integer, so that a large int64 fill value rounds once to float32, as C's cast does, not twice through double;
     * any other Number (Double, Float, BigDecimal...) as a floating-point number, truncated toward zero for integer
     * dtypes.
     */
    static RangeKernel fill(DType dtype, Number value) {
        boolean floating =
                !(value instanceof Long || value instanceof Integer || value instanceof Short || value instanceof Byte);
        switch (dtype) {
            case FLOAT32:
                return FloatKernels.fill(floating ? value.floatValue() : (float) value.longValue());
            case FLOAT64:
                return DoubleKernels.fill(floating ? value.doubleValue() : (double) value.longValue());
            case INT64:
                return LongKernels.fill(floating ? (long) value.doubleValue() : value.longValue());
            case INT32:
                return IntKernels.fill(floating ? (int) (long) value.doubleValue() : (int) value.longValue());
            default:
                return BoolKernels.fill(floating ? value.doubleValue() != 0 : value.longValue() != 0);
        }
    }
}
