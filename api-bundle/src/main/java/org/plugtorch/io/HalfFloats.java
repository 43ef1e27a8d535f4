package org.plugtorch.io;

/** IEEE float16 and bfloat16 bit patterns widened to float32, exactly (every value of both is a float32). */
final class HalfFloats {
    private HalfFloats() {}

    static float bfloat16(short bits) {
        return Float.intBitsToFloat((bits & 0xffff) << 16);
    }

    static float float16(short bits) {
        int h = bits & 0xffff;
        int sign = (h & 0x8000) << 16;
        int exponent = (h >>> 10) & 0x1f;
        int mantissa = h & 0x3ff;
        if (exponent == 0x1f) {
            // infinities keep their sign; NaNs keep their payload in the high mantissa bits, as a float32 NaN
            return Float.intBitsToFloat(sign | 0x7f800000 | (mantissa << 13));
        }
        if (exponent == 0) {
            // zero or subnormal: mantissa * 2^-24, exact in float32
            float magnitude = mantissa * 0x1p-24f;
            return sign == 0 ? magnitude : -magnitude;
        }
        return Float.intBitsToFloat(sign | ((exponent - 15 + 127) << 23) | (mantissa << 13));
    }
}
