package org.plugtorch.cpu;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * float32 GEMM with the Vector API, BLIS style: for each block of {@link #NC} columns and {@link #KC} depths, B is
 * packed into micro-panels of {@link #nr()} columns; for each block of {@link #MC} rows, A is packed into
 * micro-panels of {@link #MR} rows; a register-blocked micro-kernel then computes each {@code MR x NR} piece of C with
 * {@code 2 * MR} vector accumulators (12 ymm registers with AVX2: per depth 2 loads of B, 6 broadcasts of A, 12 FMAs).
 *
 * <p>Packing pads A's and B's micro-panels with zeros, so the micro-kernel always runs whole; pieces of C at an edge,
 * or with a column stride other than 1, go through a small scratch tile. The accumulators start from C's current
 * value (zero in the first depth block) and add one fused multiply-add per depth, in order of k, so every element of
 * C is the same whatever the tiling or the number of threads: the result differs from the scalar path only by FMA's
 * single rounding.
 *
 * <p>Threads share nothing but the operands: each tile (see {@link Matmul#grid}) packs the parts of A and B it uses
 * into its thread's own buffers, kept between calls.
 *
 * <p>This class is loaded only after {@link GemmPath} has found {@code jdk.incubator.vector} in the boot layer.
 */
final class VectorFloatGemm implements Matmul.Tiles {
    static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;
    static final int LANES = SPECIES.length();
    /** Rows per micro-kernel. */
    static final int MR = 6;
    /** Columns per micro-kernel: two vectors. */
    static final int NR = 2 * LANES;
    /** Rows per packed block of A: 144 x 256 floats are 144 KiB, held in a 512 KiB L2 while B's panels stream. */
    static final int MC = 144;
    /** Depths per packed block. */
    static final int KC = 256;
    /** Columns per packed block of B: 256 x 2048 floats are 2 MiB, in the L3. */
    static final int NC = 2048;

    /** A first depth block's accumulators start here: zeroing C first took a fifth of a K = 64 product's time. */
    private static final float[] ZEROS = new float[MR * NR];

    private static final ThreadLocal<float[][]> WORKSPACE = ThreadLocal.withInitial(Workspace::create);

    private final float[] c;
    private final int[] cl;
    private final float[] a;
    private final int[] al;
    private final float[] b;
    private final int[] bl;
    private final int k;

    /** Layouts are {offset, batch stride, row stride, column stride}. */
    VectorFloatGemm(float[] c, int[] cLayout, float[] a, int[] aLayout, float[] b, int[] bLayout, int k) {
        this.c = c;
        this.cl = cLayout;
        this.a = a;
        this.al = aLayout;
        this.b = b;
        this.bl = bLayout;
        this.k = k;
    }

    static int nr() {
        return NR;
    }

    /** The path in a few words, for the device's name. */
    static String summary() {
        return "Vector API (" + SPECIES.vectorBitSize() + "-bit float, " + LANES + " lanes)";
    }

    /** The kernel and its blocking, for the device's properties. */
    static String description() {
        return "Vector API (" + SPECIES.vectorBitSize() + "-bit float, " + LANES + " lanes; " + MR + "x" + NR
                + " micro-kernel, packed blocks " + MC + "x" + KC + "x" + NC + ")";
    }

    @Override
    public void tile(int batch, int rowFrom, int rowTo, int colFrom, int colTo) {
        int aBase = al[0] + batch * al[1];
        int bBase = bl[0] + batch * bl[1];
        int cBase = cl[0] + batch * cl[1];
        if (k == 0) {
            for (int i = rowFrom; i < rowTo; i++) {
                for (int j = colFrom, p = cBase + i * cl[2] + j * cl[3]; j < colTo; j++, p += cl[3]) {
                    c[p] = 0f;
                }
            }
            return;
        }
        Workspace w = new Workspace(WORKSPACE.get());
        // equal depth blocks of at most KC: 784 = 4 x 196 rather than 3 x 256 + 16, whose last block would load and
        // store C for only 16 multiply-adds. It depends on k alone, so every tiling sums in the same order.
        int depthBlock = (k + (k + KC - 1) / KC - 1) / ((k + KC - 1) / KC);
        for (int j0 = colFrom; j0 < colTo; j0 += NC) {
            int nc = Math.min(NC, colTo - j0);
            int panelsB = (nc + NR - 1) / NR;
            for (int k0 = 0; k0 < k; k0 += depthBlock) {
                int kb = Math.min(depthBlock, k - k0);
                float[] pb = w.b(panelsB * NR * kb);
                Packing.packB(b, bBase + k0 * bl[2] + j0 * bl[3], bl[2], bl[3], kb, nc, NR, pb, 0);
                for (int i0 = rowFrom; i0 < rowTo; i0 += MC) {
                    int mc = Math.min(MC, rowTo - i0);
                    float[] pa = w.a;
                    Packing.packA(a, aBase + i0 * al[2] + k0 * al[3], al[2], al[3], mc, kb, MR, pa);
                    block(pa, pb, kb, mc, nc, cBase + i0 * cl[2] + j0 * cl[3], k0 == 0, w.tile);
                }
            }
        }
    }

    /** C's block of {@code mc x nc} at {@code cPos} from packed A and B, one micro-kernel per {@code MR x NR} piece. */
    private void block(float[] pa, float[] pb, int kb, int mc, int nc, int cPos, boolean first, float[] tile) {
        int rs = cl[2];
        int cs = cl[3];
        // a strip of MR rows at a time, left to right: C is then read and written along its rows, in the order the
        // hardware prefetcher follows; column panel by column panel (B's micro-panel kept in the L1, as BLIS does)
        // jumped MR rows of C at each piece and ran 10-15% slower, although B's micro-panel now comes from the L2
        for (int i = 0; i < mc; i += MR) {
            int mr = Math.min(MR, mc - i);
            int aOff = i * kb;
            for (int j = 0; j < nc; j += NR) {
                int nr = Math.min(NR, nc - j);
                int bOff = j * kb;
                int p = cPos + i * rs + j * cs;
                if (mr == MR && nr == NR && cs == 1) {
                    if (first) {
                        kernel(pa, aOff, pb, bOff, kb, ZEROS, 0, NR, c, p, rs);
                    } else {
                        kernel(pa, aOff, pb, bOff, kb, c, p, rs, c, p, rs);
                    }
                } else {
                    if (first) {
                        kernel(pa, aOff, pb, bOff, kb, ZEROS, 0, NR, tile, 0, NR);
                    } else {
                        for (int r = 0; r < mr; r++) {
                            for (int q = 0; q < nr; q++) {
                                tile[r * NR + q] = c[p + r * rs + q * cs];
                            }
                        }
                        kernel(pa, aOff, pb, bOff, kb, tile, 0, NR, tile, 0, NR);
                    }
                    for (int r = 0; r < mr; r++) {
                        for (int q = 0; q < nr; q++) {
                            c[p + r * rs + q * cs] = tile[r * NR + q];
                        }
                    }
                }
            }
        }
    }

    /**
     * {@code dst[MR x NR] = src[MR x NR] + A[MR x kb] B[kb x NR]} from one packed micro-panel of each (A's holds
     * {@code MR} values per depth, B's {@code NR}); {@code src} is C itself, or {@link #ZEROS} in the first depth
     * block. Free of branches on purpose: C2 compiles a Vector API method for the paths its profile has seen, and a
     * path met later (a second depth block after a run of single-block products) made it recompile into slow code.
     */
    static void kernel(
            float[] pa,
            int aOff,
            float[] pb,
            int bOff,
            int kb,
            float[] src,
            int srcOff,
            int srcLd,
            float[] c,
            int cOff,
            int ldc) {
        FloatVector c00, c01, c10, c11, c20, c21, c30, c31, c40, c41, c50, c51;
        {
            int p = srcOff;
            c00 = FloatVector.fromArray(SPECIES, src, p);
            c01 = FloatVector.fromArray(SPECIES, src, p + LANES);
            p += srcLd;
            c10 = FloatVector.fromArray(SPECIES, src, p);
            c11 = FloatVector.fromArray(SPECIES, src, p + LANES);
            p += srcLd;
            c20 = FloatVector.fromArray(SPECIES, src, p);
            c21 = FloatVector.fromArray(SPECIES, src, p + LANES);
            p += srcLd;
            c30 = FloatVector.fromArray(SPECIES, src, p);
            c31 = FloatVector.fromArray(SPECIES, src, p + LANES);
            p += srcLd;
            c40 = FloatVector.fromArray(SPECIES, src, p);
            c41 = FloatVector.fromArray(SPECIES, src, p + LANES);
            p += srcLd;
            c50 = FloatVector.fromArray(SPECIES, src, p);
            c51 = FloatVector.fromArray(SPECIES, src, p + LANES);
        }
        // indices written as linear functions of kk, so that C2 hoists their range checks out of the loop
        for (int kk = 0; kk < kb; kk++) {
            int ap = aOff + kk * MR;
            int bp = bOff + kk * NR;
            FloatVector b0 = FloatVector.fromArray(SPECIES, pb, bp);
            FloatVector b1 = FloatVector.fromArray(SPECIES, pb, bp + LANES);
            FloatVector x = FloatVector.broadcast(SPECIES, pa[ap]);
            c00 = b0.fma(x, c00);
            c01 = b1.fma(x, c01);
            x = FloatVector.broadcast(SPECIES, pa[ap + 1]);
            c10 = b0.fma(x, c10);
            c11 = b1.fma(x, c11);
            x = FloatVector.broadcast(SPECIES, pa[ap + 2]);
            c20 = b0.fma(x, c20);
            c21 = b1.fma(x, c21);
            x = FloatVector.broadcast(SPECIES, pa[ap + 3]);
            c30 = b0.fma(x, c30);
            c31 = b1.fma(x, c31);
            x = FloatVector.broadcast(SPECIES, pa[ap + 4]);
            c40 = b0.fma(x, c40);
            c41 = b1.fma(x, c41);
            x = FloatVector.broadcast(SPECIES, pa[ap + 5]);
            c50 = b0.fma(x, c50);
            c51 = b1.fma(x, c51);
        }
        int p = cOff;
        c00.intoArray(c, p);
        c01.intoArray(c, p + LANES);
        p += ldc;
        c10.intoArray(c, p);
        c11.intoArray(c, p + LANES);
        p += ldc;
        c20.intoArray(c, p);
        c21.intoArray(c, p + LANES);
        p += ldc;
        c30.intoArray(c, p);
        c31.intoArray(c, p + LANES);
        p += ldc;
        c40.intoArray(c, p);
        c41.intoArray(c, p + LANES);
        p += ldc;
        c50.intoArray(c, p);
        c51.intoArray(c, p + LANES);
    }

    /**
     * A thread's packing buffers, kept between calls: allocating (and zeroing) 2 MiB per call would cost more than a
     * small product. Each thread packs into its own, so threads never write the same cache lines. The thread-local
     * value is a {@code float[][]} (A's block, B's block, the edge tile), a JDK type: a value of this bundle's own
     * class would pin its class loader in every caller thread after the bundle is updated or uninstalled.
     */
    private static final class Workspace {
        private static final int A = 0;
        private static final int B = 1;
        private static final int TILE = 2;

        final float[] a;
        final float[] tile;
        private final float[][] buffers;

        Workspace(float[][] buffers) {
            this.buffers = buffers;
            this.a = buffers[A];
            this.tile = buffers[TILE];
        }

        static float[][] create() {
            return new float[][] {new float[MC * KC], new float[0], new float[MR * NR]};
        }

        float[] b(int size) {
            if (buffers[B].length < size) {
                buffers[B] = new float[size];
            }
            return buffers[B];
        }
    }
}
