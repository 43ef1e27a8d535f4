package org.plugtorch.cpu;

import java.util.Arrays;

/**
 * Blocked float64 GEMM: {@link FloatGemm} in double precision (same blocking, same order of additions). The
 * packed block is twice the bytes of the float one; float64 products are rare enough in this API not to tune it.
 */
final class DoubleGemm implements Matmul.Tiles {
    /** Depths per packed block. */
    static final int KC = 128;
    /** Columns per packed block. */
    static final int NC = 512;

    private final double[] c;
    private final int[] cl;
    private final double[] a;
    private final int[] al;
    private final double[] b;
    private final int[] bl;
    private final int k;

    /** Layouts are {offset, batch stride, row stride, column stride}. */
    DoubleGemm(double[] c, int[] cLayout, double[] a, int[] aLayout, double[] b, int[] bLayout, int k) {
        this.c = c;
        this.cl = cLayout;
        this.a = a;
        this.al = aLayout;
        this.b = b;
        this.bl = bLayout;
        this.k = k;
    }

    @Override
    public void tile(int batch, int rowFrom, int rowTo, int colFrom, int colTo) {
        int aBase = al[0] + batch * al[1];
        int bBase = bl[0] + batch * bl[1];
        int cBase = cl[0] + batch * cl[1];
        int width = Math.min(NC, colTo - colFrom);
        double[][] panel = new double[Math.min(KC, k)][width];
        double[] row = new double[width];
        for (int j0 = colFrom; j0 < colTo; j0 += NC) {
            int nb = Math.min(NC, colTo - j0);
            if (k == 0) {
                Arrays.fill(row, 0d);
                for (int i = rowFrom; i < rowTo; i++) {
                    storeRow(row, nb, cBase + i * cl[2] + j0 * cl[3]);
                }
                continue;
            }
            for (int k0 = 0; k0 < k; k0 += KC) {
                int kb = Math.min(KC, k - k0);
                pack(bBase + k0 * bl[2] + j0 * bl[3], kb, nb, panel);
                for (int i = rowFrom; i < rowTo; i++) {
                    int cRow = cBase + i * cl[2] + j0 * cl[3];
                    if (k0 == 0) {
                        Arrays.fill(row, 0, nb, 0d);
                    } else {
                        loadRow(cRow, nb, row);
                    }
                    multiplyRow(a, aBase + i * al[2] + k0 * al[3], al[3], panel, kb, nb, row);
                    storeRow(row, nb, cRow);
                }
            }
        }
    }

    /**
     * The micro-kernel: {@code row[j] += a[aPos + kk * aStride] * panel[kk][j]} for {@code kk < kb}, {@code j < nb},
     * in order of kk. Four depths per pass halve the loads and stores of {@code row} without changing the order
     * of the additions.
     */
    static void multiplyRow(double[] a, int aPos, int aStride, double[][] panel, int kb, int nb, double[] row) {
        int kk = 0;
        for (; kk + 4 <= kb; kk += 4) {
            int p = aPos + kk * aStride;
            double a0 = a[p];
            double a1 = a[p + aStride];
            double a2 = a[p + 2 * aStride];
            double a3 = a[p + 3 * aStride];
            double[] b0 = panel[kk];
            double[] b1 = panel[kk + 1];
            double[] b2 = panel[kk + 2];
            double[] b3 = panel[kk + 3];
            for (int j = 0; j < nb; j++) {
                row[j] = row[j] + a0 * b0[j] + a1 * b1[j] + a2 * b2[j] + a3 * b3[j];
            }
        }
        for (; kk < kb; kk++) {
            double a0 = a[aPos + kk * aStride];
            double[] b0 = panel[kk];
            for (int j = 0; j < nb; j++) {
                row[j] += a0 * b0[j];
            }
        }
    }

    /** Copies B's block of {@code kb} rows and {@code nb} columns at {@code start} into the panel's rows. */
    private void pack(int start, int kb, int nb, double[][] panel) {
        int rs = bl[2];
        int cs = bl[3];
        if (cs == 1) {
            for (int kk = 0; kk < kb; kk++) {
                System.arraycopy(b, start + kk * rs, panel[kk], 0, nb);
            }
        } else if (Math.abs(rs) < Math.abs(cs)) {
            // a transposed B (x @ W.t()): read along its memory order, one column of the block at a time
            for (int j = 0; j < nb; j++) {
                int p = start + j * cs;
                for (int kk = 0; kk < kb; kk++) {
                    panel[kk][j] = b[p + kk * rs];
                }
            }
        } else {
            for (int kk = 0; kk < kb; kk++) {
                double[] dst = panel[kk];
                for (int j = 0, p = start + kk * rs; j < nb; j++, p += cs) {
                    dst[j] = b[p];
                }
            }
        }
    }

    private void loadRow(int start, int nb, double[] row) {
        int cs = cl[3];
        if (cs == 1) {
            System.arraycopy(c, start, row, 0, nb);
        } else {
            for (int j = 0, p = start; j < nb; j++, p += cs) {
                row[j] = c[p];
            }
        }
    }

    private void storeRow(double[] row, int nb, int start) {
        int cs = cl[3];
        if (cs == 1) {
            System.arraycopy(row, 0, c, start, nb);
        } else {
            for (int j = 0, p = start; j < nb; j++, p += cs) {
                c[p] = row[j];
            }
        }
    }
}
