package org.plugtorch.io;

/** Shape arithmetic for checkpoint validation: overflow is detected, never wrapped. */
final class Sizes {
    private Sizes() {}

    /** The element count of a validated shape. */
    static long numel(long[] shape) {
        long n = 1;
        for (long s : shape) {
            n *= s;
        }
        return n;
    }

    /** The element count, or -1 when a dimension is negative or the product overflows a long. */
    static long checkedNumel(long[] shape) {
        long n = 1;
        for (long s : shape) {
            if (s < 0) {
                return -1;
            }
            try {
                n = Math.multiplyExact(n, s);
            } catch (ArithmeticException e) {
                return -1;
            }
        }
        // a zero dimension makes the product 0 even after an otherwise overflowing one; check the rest anyway
        for (long s : shape) {
            if (s == 0) {
                return 0;
            }
        }
        return n;
    }

    /**
     * The bytes of {@code numel} elements of {@code bits} each ({@code numel * bits / 8}, rounded down as the formats
     * count sub-byte types), or -1 when that does not fit a long.
     */
    static long bytes(long numel, int bits) {
        try {
            return Math.addExact(Math.multiplyExact(numel / 8, bits), numel % 8 * bits / 8);
        } catch (ArithmeticException e) {
            return -1;
        }
    }

    static long[] contiguousStrides(long[] shape) {
        long[] strides = new long[shape.length];
        long s = 1;
        for (int d = shape.length - 1; d >= 0; d--) {
            strides[d] = s;
            s *= Math.max(shape[d], 1);
        }
        return strides;
    }

    /** {@code [2, 3]}, as shapes print in errors and descriptions. */
    static String list(long[] shape) {
        StringBuilder sb = new StringBuilder("[");
        for (int i = 0; i < shape.length; i++) {
            sb.append(i == 0 ? "" : ", ").append(shape[i]);
        }
        return sb.append(']').toString();
    }
}
