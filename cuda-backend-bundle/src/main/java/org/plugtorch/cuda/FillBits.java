package org.plugtorch.cuda;

import org.plugtorch.DType;

/**
 * A fill value converted to a dtype and returned as the element's bits, which the fill kernel stores as they are.
 * The conversions are C's, as the SPI asks: a Long, Integer, Short or Byte converts as an integer (so a large int64
 * rounds to float32 once, not twice through double), any other Number through its double value, truncated toward
 * zero for integer dtypes; to bool is {@code != 0}.
 */
final class FillBits {
    private FillBits() {}

    static long of(DType dtype, Number value) {
        boolean integral =
                value instanceof Long || value instanceof Integer || value instanceof Short || value instanceof Byte;
        switch (dtype) {
            case FLOAT32: {
                float f = integral ? (float) value.longValue() : (float) value.doubleValue();
                return Float.floatToRawIntBits(f) & 0xFFFF_FFFFL;
            }
            case FLOAT64:
                return Double.doubleToRawLongBits(integral ? (double) value.longValue() : value.doubleValue());
            case INT64:
                return integer(value);
            case INT32:
                return (int) integer(value) & 0xFFFF_FFFFL;
            default:
                return value.doubleValue() != 0 ? 1 : 0;
        }
    }

    private static long integer(Number value) {
        return value instanceof Double || value instanceof Float ? (long) value.doubleValue() : value.longValue();
    }
}
