package org.plugtorch.cpu;

import java.lang.reflect.Array;
import java.util.Arrays;

/**
 * Copies between a strided run of a primitive array and a dense scratch array, so that kernels written for one
 * shared index can serve any strides. Unit strides are {@link System#arraycopy}; stride 0 (a broadcast) is a fill.
 */
final class Staging {
    private Staging() {}

    /** A scratch array of {@code length} elements of the same primitive type as {@code like}. */
    static Object scratchLike(Object like, int length) {
        return Array.newInstance(like.getClass().getComponentType(), length);
    }

    /** {@code dst[i] = src[offset + i * stride]} for {@code i < length}. */
    static void gather(Object src, int offset, int stride, Object dst, int length) {
        gather(src, offset, stride, dst, 0, length);
    }

    /** {@code dst[at + i] = src[offset + i * stride]} for {@code i < length}. */
    static void gather(Object src, int offset, int stride, Object dst, int at, int length) {
        if (stride == 1) {
            System.arraycopy(src, offset, dst, at, length);
        } else if (src instanceof float[]) {
            float[] s = (float[]) src;
            float[] d = (float[]) dst;
            if (stride == 0) {
                Arrays.fill(d, at, at + length, s[offset]);
            } else {
                for (int i = 0, p = offset; i < length; i++, p += stride) {
                    d[at + i] = s[p];
                }
            }
        } else if (src instanceof double[]) {
            double[] s = (double[]) src;
            double[] d = (double[]) dst;
            if (stride == 0) {
                Arrays.fill(d, at, at + length, s[offset]);
            } else {
                for (int i = 0, p = offset; i < length; i++, p += stride) {
                    d[at + i] = s[p];
                }
            }
        } else if (src instanceof long[]) {
            long[] s = (long[]) src;
            long[] d = (long[]) dst;
            if (stride == 0) {
                Arrays.fill(d, at, at + length, s[offset]);
            } else {
                for (int i = 0, p = offset; i < length; i++, p += stride) {
                    d[at + i] = s[p];
                }
            }
        } else if (src instanceof int[]) {
            int[] s = (int[]) src;
            int[] d = (int[]) dst;
            if (stride == 0) {
                Arrays.fill(d, at, at + length, s[offset]);
            } else {
                for (int i = 0, p = offset; i < length; i++, p += stride) {
                    d[at + i] = s[p];
                }
            }
        } else {
            byte[] s = (byte[]) src;
            byte[] d = (byte[]) dst;
            if (stride == 0) {
                Arrays.fill(d, at, at + length, s[offset]);
            } else {
                for (int i = 0, p = offset; i < length; i++, p += stride) {
                    d[at + i] = s[p];
                }
            }
        }
    }

    /** {@code dst[offset + i * stride] = src[i]} for {@code i < length}; an output never has stride 0. */
    static void scatter(Object src, int length, Object dst, int offset, int stride) {
        if (stride == 1) {
            System.arraycopy(src, 0, dst, offset, length);
        } else if (dst instanceof float[]) {
            float[] s = (float[]) src;
            float[] d = (float[]) dst;
            for (int i = 0, p = offset; i < length; i++, p += stride) {
                d[p] = s[i];
            }
        } else if (dst instanceof double[]) {
            double[] s = (double[]) src;
            double[] d = (double[]) dst;
            for (int i = 0, p = offset; i < length; i++, p += stride) {
                d[p] = s[i];
            }
        } else if (dst instanceof long[]) {
            long[] s = (long[]) src;
            long[] d = (long[]) dst;
            for (int i = 0, p = offset; i < length; i++, p += stride) {
                d[p] = s[i];
            }
        } else if (dst instanceof int[]) {
            int[] s = (int[]) src;
            int[] d = (int[]) dst;
            for (int i = 0, p = offset; i < length; i++, p += stride) {
                d[p] = s[i];
            }
        } else {
            byte[] s = (byte[]) src;
            byte[] d = (byte[]) dst;
            for (int i = 0, p = offset; i < length; i++, p += stride) {
                d[p] = s[i];
            }
        }
    }
}
