package org.plugtorch.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.plugtorch.spi.HostBuffer;
import org.plugtorch.spi.Operand;

/**
 * The Vector API and scalar float32 GEMMs against a float64 reference, where register-blocked kernels break: sizes
 * around the micro-tile (1..17, 63, 65, 257), k = 0, transposed, strided and offset operands, batches, a broadcast
 * batch (stride 0), a strided output whose gaps must stay untouched, one thread and several.
 */
class FloatGemmPathsTest {
    private static CpuBackend vector1;
    private static CpuBackend vector2;
    private static CpuBackend scalar;

    @BeforeAll
    static void backends() {
        String whyNot = GemmPath.vectorUnavailableReason();
        assertTrue(
                whyNot == null,
                () -> "tests run with --add-modules jdk.incubator.vector (test.jvm.flags in the root"
                        + " pom), yet the vector path is unavailable: " + whyNot);
        vector1 = new CpuBackend(1, "vector");
        vector2 = new CpuBackend(2, "vector");
        scalar = new CpuBackend(1, "scalar");
    }

    /** One product's layout: transposes, offsets, row padding, broadcast batch, output column stride. */
    private static final class Case {
        final int batch;
        final int m;
        final int k;
        final int n;
        boolean aT;
        boolean bT;
        int pad;
        int offset;
        boolean broadcastB;
        int cStride = 1;

        Case(int batch, int m, int k, int n) {
            this.batch = batch;
            this.m = m;
            this.k = k;
            this.n = n;
        }

        @Override
        public String toString() {
            return "[" + batch + "] " + m + "x" + k + " @ " + k + "x" + n + (aT ? " aT" : "") + (bT ? " bT" : "")
                    + " pad " + pad + " offset " + offset + (broadcastB ? " broadcast b" : "") + " c stride "
                    + cStride;
        }
    }

    /** A rank-3 operand {@code [batch, rows, cols]} over fresh random data, stored transposed if asked. */
    private static Operand operand(
            Random r, int batch, int rows, int cols, boolean transposed, int pad, int offset, boolean broadcast) {
        int inner = (transposed ? rows : cols) + pad;
        int outer = transposed ? cols : rows;
        int items = broadcast ? 1 : batch;
        float[] data = new float[offset + items * outer * inner + 1];
        for (int i = 0; i < data.length; i++) {
            data[i] = (float) r.nextGaussian();
        }
        long batchStride = broadcast ? 0 : (long) outer * inner;
        long[] strides = transposed ? new long[] {batchStride, 1, inner} : new long[] {batchStride, inner, 1};
        return new Operand(HostBuffer.wrap(data), offset, new long[] {batch, rows, cols}, strides);
    }

    private static float at(Operand o, int bi, int i, int j) {
        long[] s = o.strides();
        return ((HostBuffer) o.buffer()).floats()[(int) (o.offset() + bi * s[0] + i * s[1] + j * s[2])];
    }

    /** Runs the product on {@code backend} into an output full of NaN, which only the view's elements may replace. */
    private static float[] run(CpuBackend backend, Case c, Operand a, Operand b) {
        int offset = c.offset + 3;
        float[] out = new float[offset + c.batch * c.m * c.n * c.cStride + 2];
        java.util.Arrays.fill(out, Float.NaN);
        Operand dst = new Operand(HostBuffer.wrap(out), offset, new long[] {c.batch, c.m, c.n}, new long[] {
            (long) c.m * c.n * c.cStride, (long) c.n * c.cStride, c.cStride
        });
        backend.matmul(dst, a, b);
        for (int p = 0; p < out.length; p++) {
            int rel = p - offset;
            boolean inView = rel >= 0 && rel < c.batch * c.m * c.n * c.cStride && rel % c.cStride == 0;
            if (!inView && !Float.isNaN(out[p])) {
                throw new AssertionError(c + ": wrote outside the output view at " + p);
            }
        }
        return out;
    }

    private static void check(Random r, Case c) {
        Operand a = operand(r, c.batch, c.m, c.k, c.aT, c.pad, c.offset, false);
        Operand b = operand(r, c.batch, c.k, c.n, c.bT, c.pad, c.offset + 1, c.broadcastB);
        float[] v1 = run(vector1, c, a, b);
        float[] v2 = run(vector2, c, a, b);
        float[] s = run(scalar, c, a, b);
        int offset = c.offset + 3;
        for (int bi = 0; bi < c.batch; bi++) {
            for (int i = 0; i < c.m; i++) {
                for (int j = 0; j < c.n; j++) {
                    double exact = 0;
                    double magnitude = 0;
                    float fused = 0f;
                    for (int kk = 0; kk < c.k; kk++) {
                        float x = at(a, bi, i, kk);
                        float y = at(b, bi, kk, j);
                        exact += (double) x * y;
                        magnitude += Math.abs((double) x * y);
                        fused = Math.fma(x, y, fused);
                    }
                    int p = offset + ((bi * c.m + i) * c.n + j) * c.cStride;
                    double bound = (c.k + 2) * 0x1p-24 * magnitude;
                    String where = c + " element [" + bi + ", " + i + ", " + j + "]";
                    assertEquals(fused, v1[p], where + ": the vector path fuses one multiply-add per k, in order");
                    assertEquals(v1[p], v2[p], where + ": the vector path on 2 threads");
                    assertTrue(Math.abs(s[p] - exact) <= bound, where + " scalar " + s[p] + " vs exact " + exact);
                    assertTrue(Math.abs(v1[p] - exact) <= bound, where + " vector " + v1[p] + " vs exact " + exact);
                }
            }
        }
    }

    @Test
    void everySmallShapeAroundTheMicroTile() {
        Random r = new Random(11);
        for (int m = 1; m <= 17; m++) {
            for (int n = 1; n <= 17; n++) {
                for (int k : new int[] {0, 1, 5, 16, 17}) {
                    check(r, new Case(1, m, k, n));
                }
            }
        }
    }

    @Test
    void sizesAcrossBlockAndThreadBoundaries() {
        Random r = new Random(12);
        int[][] shapes = {
            {63, 65, 257},
            {65, 257, 63},
            {257, 63, 65},
            {257, 257, 17},
            {6, 513, 16},
            {145, 300, 33},
            {64, 784, 40},
            {40, 64, 784}
        };
        for (int[] s : shapes) {
            check(r, new Case(1, s[0], s[1], s[2]));
        }
    }

    @Test
    void transposedStridedAndOffsetOperands() {
        Random r = new Random(13);
        int[][] shapes = {{13, 7, 19}, {64, 300, 40}, {65, 257, 63}};
        for (int[] s : shapes) {
            for (int variant = 0; variant < 8; variant++) {
                Case c = new Case(1, s[0], s[1], s[2]);
                c.aT = (variant & 1) != 0;
                c.bT = (variant & 2) != 0;
                c.pad = (variant & 4) != 0 ? 3 : 0;
                c.offset = 5 * variant;
                c.cStride = (variant & 4) != 0 ? 2 : 1;
                check(r, c);
            }
        }
    }

    @Test
    void batchedAndBroadcastBatches() {
        Random r = new Random(14);
        int[][] shapes = {{3, 5, 9, 17}, {3, 65, 257, 63}, {2, 200, 70, 100}, {5, 1, 300, 7}};
        for (int[] s : shapes) {
            for (boolean broadcast : new boolean[] {false, true}) {
                Case c = new Case(s[0], s[1], s[2], s[3]);
                c.broadcastB = broadcast;
                c.bT = broadcast;
                c.offset = 2;
                check(r, c);
            }
        }
    }

    @Test
    void gridTilesCoverEveryOutputElementOnceOnMicroTileBoundaries() {
        int[][] problems = {
            {1, 200, 530},
            {3, 7, 1000},
            {1, 5, 3},
            {9, 40, 40},
            {2, 1, 600},
            {1, 600, 1},
            {1, 64, 256},
            {1, 256, 784},
            {1, 2048, 2048}
        };
        for (int[] p : problems) {
            for (int parts : new int[] {1, 2, 4, 7}) {
                List<int[]> tiles = Matmul.grid(p[0], p[1], p[2], parts, 6, 16);
                for (int[] t : tiles) {
                    assertTrue(t[1] % 6 == 0 && t[3] % 16 == 0, "tiles start on micro-tile boundaries");
                }
                TileCoverage.assertEachElementOnce(p, parts, tiles);
            }
        }
    }

    @Test
    void smallBatchLinearLayersUseBothThreads() {
        assertEquals(2, Matmul.grid(1, 64, 256, 2, 6, 16).size(), "forward x @ W.t(): 64 rows, columns cut");
        assertEquals(2, Matmul.grid(1, 64, 784, 2, 6, 16).size(), "input gradient dY @ W");
        assertEquals(4, Matmul.grid(1, 2048, 2048, 4, 6, 16).size());
    }
}
