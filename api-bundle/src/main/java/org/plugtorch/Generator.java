package org.plugtorch;

/**
 * A seedable random number generator that draws the same numbers as PyTorch's CPU generator: a 32-bit Mersenne
 * Twister (MT19937) with PyTorch's transformations. With the same seed, {@code Tensor.rand}, {@code Tensor.randn},
 * {@code uniform_}, {@code normal_} and therefore {@code Linear}'s initialisation produce PyTorch's values (to the
 * last bit or two of float32 for normal samples, whose PyTorch kernels use vectorised approximations of log, sin and
 * cos).
 *
 * <p>Random tensors are always drawn here, on the host, and then copied to their device, so a seed gives the same
 * numbers on every device. A generator is safe for use from several threads.
 */
public final class Generator {
    /** PyTorch's default seed ({@code torch.initial_seed()} of a fresh process). */
    public static final long DEFAULT_SEED = 67280421310721L;

    private static final Generator DEFAULT = new Generator(DEFAULT_SEED);

    private static final int N = 624;
    private static final int M = 397;
    private static final int MATRIX_A = 0x9908b0df;
    private static final int UPPER_MASK = 0x80000000;
    private static final int LOWER_MASK = 0x7fffffff;

    private final int[] state = new int[N];
    private int left;
    private int next;
    private long seed;
    private boolean hasNextNormal;
    private double nextNormal;

    public Generator(long seed) {
        manualSeed(seed);
    }

    /** The generator that creation functions use when none is given ({@code torch.default_generator}). */
    public static Generator defaultGenerator() {
        return DEFAULT;
    }

    /** Re-seeds the default generator ({@code torch.manual_seed}). */
    public static void seedDefault(long seed) {
        DEFAULT.manualSeed(seed);
    }

    /** Re-seeds this generator; returns it. */
    public synchronized Generator manualSeed(long seed) {
        this.seed = seed;
        state[0] = (int) seed;
        for (int j = 1; j < N; j++) {
            state[j] = 1812433253 * (state[j - 1] ^ (state[j - 1] >>> 30)) + j;
        }
        left = 1;
        next = 0;
        hasNextNormal = false;
        return this;
    }

    /** The seed last set ({@code initial_seed()}). */
    public synchronized long initialSeed() {
        return seed;
    }

    /** The next 32 random bits, as an unsigned value. */
    public synchronized long nextUInt32() {
        return nextInt() & 0xffffffffL;
    }

    /** The next 64 random bits: two 32-bit draws, the first one high (PyTorch's {@code random64}). */
    public synchronized long nextUInt64() {
        long hi = nextInt() & 0xffffffffL;
        long lo = nextInt() & 0xffffffffL;
        return (hi << 32) | lo;
    }

    private int nextInt() {
        if (--left == 0) {
            nextState();
        }
        int y = state[next++];
        y ^= y >>> 11;
        y ^= (y << 7) & 0x9d2c5680;
        y ^= (y << 15) & 0xefc60000;
        y ^= y >>> 18;
        return y;
    }

    private void nextState() {
        left = N;
        next = 0;
        int kk = 0;
        for (; kk < N - M; kk++) {
            state[kk] = state[kk + M] ^ twist(state[kk], state[kk + 1]);
        }
        for (; kk < N - 1; kk++) {
            state[kk] = state[kk + M - N] ^ twist(state[kk], state[kk + 1]);
        }
        state[N - 1] = state[M - 1] ^ twist(state[N - 1], state[0]);
    }

    private static int twist(int u, int v) {
        int mixed = (u & UPPER_MASK) | (v & LOWER_MASK);
        return (mixed >>> 1) ^ ((v & 1) != 0 ? MATRIX_A : 0);
    }

    /**
     * Fills {@code out} with uniform samples in [from, to), as PyTorch's float32 {@code uniform_}; the scaling is
     * one fused multiply-add because PyTorch's x86-64 build contracts it into one.
     */
    public synchronized void uniform(float[] out, float from, float to) {
        float range = to - from;
        for (int i = 0; i < out.length; i++) {
            out[i] = Math.fma(uniformFloat(), range, from);
        }
    }

    /** Fills {@code out} with uniform samples in [from, to), as PyTorch's float64 {@code uniform_}. */
    public synchronized void uniform(double[] out, double from, double to) {
        double range = to - from;
        for (int i = 0; i < out.length; i++) {
            out[i] = Math.fma(uniformDouble(), range, from);
        }
    }

    /**
     * Fills {@code out} with normal samples as PyTorch's float32 {@code normal_}: Box-Muller over blocks of 16
     * uniform draws when there are at least 16, a cached-pair sampler otherwise.
     */
    public synchronized void normal(float[] out, float mean, float std) {
        int n = out.length;
        if (n >= 16) {
            for (int i = 0; i < n; i++) {
                out[i] = uniformFloat();
            }
            for (int i = 0; i + 16 <= n; i += 16) {
                boxMuller16(out, i, mean, std);
            }
            if (n % 16 != 0) {
                int base = n - 16;
                for (int i = 0; i < 16; i++) {
                    out[base + i] = uniformFloat();
                }
                boxMuller16(out, base, mean, std);
            }
        } else {
            for (int i = 0; i < n; i++) {
                out[i] = (float) (normalDouble() * std + mean);
            }
        }
    }

    /** Fills {@code out} with normal samples as PyTorch's float64 {@code normal_}. */
    public synchronized void normal(double[] out, double mean, double std) {
        int n = out.length;
        if (n >= 16) {
            for (int i = 0; i < n; i++) {
                out[i] = uniformDouble();
            }
            for (int i = 0; i + 16 <= n; i += 16) {
                boxMuller16(out, i, mean, std);
            }
            if (n % 16 != 0) {
                int base = n - 16;
                for (int i = 0; i < 16; i++) {
                    out[base + i] = uniformDouble();
                }
                boxMuller16(out, base, mean, std);
            }
        } else {
            for (int i = 0; i < n; i++) {
                out[i] = normalDouble() * std + mean;
            }
        }
    }

    private float uniformFloat() {
        return (nextInt() & 0xffffff) * 0x1.0p-24f;
    }

    private double uniformDouble() {
        return (nextUInt64() & 0x1fffffffffffffL) * 0x1.0p-53;
    }

    /** PyTorch's {@code normal_distribution<double>}: one Box-Muller pair per two draws, the sine half cached. */
    private double normalDouble() {
        if (hasNextNormal) {
            hasNextNormal = false;
            return nextNormal;
        }
        double u1 = uniformDouble();
        double u2 = uniformDouble();
        double r = Math.sqrt(-2.0 * Math.log(1.0 - u2));
        double theta = 2.0 * Math.PI * u1;
        nextNormal = r * Math.sin(theta);
        hasNextNormal = true;
        return r * Math.cos(theta);
    }

    private static void boxMuller16(float[] data, int at, float mean, float std) {
        for (int j = 0; j < 8; j++) {
            float u1 = 1 - data[at + j];
            float u2 = data[at + j + 8];
            // float arithmetic throughout, as PyTorch's kernel: each double result is rounded to float at once
            float radius = (float) Math.sqrt(-2 * (float) Math.log(u1));
            float theta = 2.0f * (float) Math.PI * u2;
            data[at + j] = radius * (float) Math.cos(theta) * std + mean;
            data[at + j + 8] = radius * (float) Math.sin(theta) * std + mean;
        }
    }

    private static void boxMuller16(double[] data, int at, double mean, double std) {
        for (int j = 0; j < 8; j++) {
            double u1 = 1 - data[at + j];
            double u2 = data[at + j + 8];
            double radius = Math.sqrt(-2 * Math.log(u1));
            double theta = 2.0 * Math.PI * u2;
            data[at + j] = radius * Math.cos(theta) * std + mean;
            data[at + j + 8] = radius * Math.sin(theta) * std + mean;
        }
    }
}
