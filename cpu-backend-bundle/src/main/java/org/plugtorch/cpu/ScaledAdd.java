package org.plugtorch.cpu;

/**
 * {@code d = a + alpha * b} in one pass, with {@code alpha * b} rounded before the sum (Java never contracts to a
 * fused multiply-add), so the values are exactly those of a scaled copy followed by an add. {@code d} and {@code a}
 * share the index; {@code b} is read {@code shift} elements away. With no shift the loop has one index for every
 * array, which HotSpot vectorises.
 */
final class ScaledAdd {
    private ScaledAdd() {}

    static void run(float[] d, float[] a, float[] b, int shift, float alpha, int from, int to) {
        if (shift == 0) {
            for (int i = from; i < to; i++) {
                d[i] = a[i] + b[i] * alpha;
            }
        } else {
            for (int i = from; i < to; i++) {
                d[i] = a[i] + b[i + shift] * alpha;
            }
        }
    }

    static void run(double[] d, double[] a, double[] b, int shift, double alpha, int from, int to) {
        if (shift == 0) {
            for (int i = from; i < to; i++) {
                d[i] = a[i] + b[i] * alpha;
            }
        } else {
            for (int i = from; i < to; i++) {
                d[i] = a[i] + b[i + shift] * alpha;
            }
        }
    }
}
