package org.plugtorch.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Every float16 and bfloat16 bit pattern widens to the float32 of the same value. */
class HalfFloatsTest {

    /** float16's value from its definition: (-1)^s × 2^(e-15) × 1.m, or 2^-14 × 0.m when e is 0. */
    private static double float16Value(int bits) {
        int sign = bits >>> 15;
        int e = (bits >>> 10) & 0x1f;
        int m = bits & 0x3ff;
        double magnitude = e == 0
                ? Math.scalb(m / 1024.0, -14)
                : e == 31 ? (m == 0 ? Double.POSITIVE_INFINITY : Double.NaN) : Math.scalb(1 + m / 1024.0, e - 15);
        return sign == 1 ? -magnitude : magnitude;
    }

    @Test
    void everyFloat16() {
        for (int bits = 0; bits < 1 << 16; bits++) {
            float got = HalfFloats.float16((short) bits);
            double want = float16Value(bits);
            if (Double.isNaN(want)) {
                assertTrue(Float.isNaN(got), Integer.toHexString(bits));
            } else {
                assertEquals(
                        Double.doubleToRawLongBits(want),
                        Double.doubleToRawLongBits(got),
                        "float16 0x" + Integer.toHexString(bits));
            }
        }
    }

    @Test
    void everyBfloat16IsTheUpperHalfOfAFloat32() {
        for (int bits = 0; bits < 1 << 16; bits++) {
            float got = HalfFloats.bfloat16((short) bits);
            assertEquals(bits << 16, Float.floatToRawIntBits(got), "bfloat16 0x" + Integer.toHexString(bits));
        }
    }
}
