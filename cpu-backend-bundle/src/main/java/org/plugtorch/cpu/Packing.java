package org.plugtorch.cpu;

/**
 * Copies blocks of strided float32 matrices into the micro-panel order a register-blocked GEMM kernel reads
 * sequentially, zero-padding the last panel so the kernel never needs an edge case. Any strides are accepted (a
 * transposed weight, a broadcast batch, an offset view): the loops walk the source along its unit stride when it has
 * one, so a transposed operand costs about the same as a contiguous one.
 */
final class Packing {
    private Packing() {}

    /**
     * Packs {@code rows x depth} of A from {@code start} (row stride {@code rs}, column stride {@code cs}) into
     * panels of {@code mr} rows: {@code dst[(panel * depth + kk) * mr + r] = A[panel * mr + r][kk]}.
     */
    static void packA(float[] a, int start, int rs, int cs, int rows, int depth, int mr, float[] dst) {
        for (int i0 = 0; i0 < rows; i0 += mr) {
            int h = Math.min(mr, rows - i0);
            int base = i0 * depth;
            int src = start + i0 * rs;
            if (h == 6 && mr == 6) {
                packA6(a, src, rs, cs, depth, dst, base);
            } else if (cs == 1 || h < mr) {
                for (int r = 0; r < h; r++) {
                    for (int kk = 0, p = src + r * rs, q = base + r; kk < depth; kk++, p += cs, q += mr) {
                        dst[q] = a[p];
                    }
                }
                for (int r = h; r < mr; r++) {
                    for (int kk = 0, q = base + r; kk < depth; kk++, q += mr) {
                        dst[q] = 0f;
                    }
                }
            } else {
                // a transposed A (dY.t() in a weight gradient): its rows are adjacent in memory at each depth
                for (int kk = 0, p = src, q = base; kk < depth; kk++, p += cs, q += mr) {
                    for (int r = 0; r < mr; r++) {
                        dst[q + r] = a[p + r * rs];
                    }
                }
            }
        }
    }

    /**
     * Packs {@code depth x cols} of B from {@code start} (row stride {@code rs}, column stride {@code cs}) into
     * panels of {@code nr} columns: {@code dst[dstOff + (panel * depth + kk) * nr + j] = B[kk][panel * nr + j]}.
     */
    static void packB(float[] b, int start, int rs, int cs, int depth, int cols, int nr, float[] dst, int dstOff) {
        int whole = cols / nr * nr;
        if (cs == 1 && nr == 16 && whole > 0) {
            rows16(b, start, rs, depth, whole, dst, dstOff);
            if (whole == cols) {
                return;
            }
            packB(b, start + whole, rs, cs, depth, cols - whole, nr, dst, dstOff + whole * depth);
            return;
        }
        for (int j0 = 0; j0 < cols; j0 += nr) {
            int w = Math.min(nr, cols - j0);
            int base = dstOff + j0 * depth;
            int src = start + j0 * cs;
            if (cs == 1) {
                for (int kk = 0, p = src, q = base; kk < depth; kk++, p += rs, q += nr) {
                    System.arraycopy(b, p, dst, q, w);
                }
            } else if (w == 16 && nr == 16) {
                packB16(b, src, rs, cs, depth, dst, base);
            } else {
                // a transposed B (x @ W.t() in a linear layer): the panel's columns advance together, so each write
                // fills a whole panel row and the reads stay within one cache line per column for 16 depths
                for (int kk = 0, p = src, q = base; kk < depth; kk++, p += rs, q += nr) {
                    for (int j = 0; j < w; j++) {
                        dst[q + j] = b[p + j * cs];
                    }
                }
            }
            if (w < nr) {
                for (int kk = 0, q = base; kk < depth; kk++, q += nr) {
                    for (int j = w; j < nr; j++) {
                        dst[q + j] = 0f;
                    }
                }
            }
        }
    }

    /**
     * A whole panel of 6 rows, any strides. Unrolled, with every index a linear function of {@code kk}: C2 then hoists
     * the range checks out of the loop, which it does not do for a short inner loop over the rows.
     */
    private static void packA6(float[] a, int src, int rs, int cs, int depth, float[] dst, int base) {
        int p0 = src;
        int p1 = src + rs;
        int p2 = src + 2 * rs;
        int p3 = src + 3 * rs;
        int p4 = src + 4 * rs;
        int p5 = src + 5 * rs;
        for (int kk = 0; kk < depth; kk++) {
            int q = base + kk * 6;
            int o = kk * cs;
            dst[q] = a[p0 + o];
            dst[q + 1] = a[p1 + o];
            dst[q + 2] = a[p2 + o];
            dst[q + 3] = a[p3 + o];
            dst[q + 4] = a[p4 + o];
            dst[q + 5] = a[p5 + o];
        }
    }

    /** A whole panel of 16 columns with a column stride other than 1 (a transposed B), unrolled as {@link #packA6}. */
    private static void packB16(float[] b, int src, int rs, int cs, int depth, float[] dst, int base) {
        if (rs == 1) {
            packB16Contiguous(b, src, cs, depth, dst, base);
            return;
        }
        int[] col = new int[16];
        for (int j = 0; j < 16; j++) {
            col[j] = src + j * cs;
        }
        int p0 = col[0], p1 = col[1], p2 = col[2], p3 = col[3], p4 = col[4], p5 = col[5], p6 = col[6], p7 = col[7];
        int p8 = col[8], p9 = col[9], p10 = col[10], p11 = col[11], p12 = col[12], p13 = col[13], p14 = col[14];
        int p15 = col[15];
        for (int kk = 0; kk < depth; kk++) {
            int q = base + kk * 16;
            int o = kk * rs;
            dst[q] = b[p0 + o];
            dst[q + 1] = b[p1 + o];
            dst[q + 2] = b[p2 + o];
            dst[q + 3] = b[p3 + o];
            dst[q + 4] = b[p4 + o];
            dst[q + 5] = b[p5 + o];
            dst[q + 6] = b[p6 + o];
            dst[q + 7] = b[p7 + o];
            dst[q + 8] = b[p8 + o];
            dst[q + 9] = b[p9 + o];
            dst[q + 10] = b[p10 + o];
            dst[q + 11] = b[p11 + o];
            dst[q + 12] = b[p12 + o];
            dst[q + 13] = b[p13 + o];
            dst[q + 14] = b[p14 + o];
            dst[q + 15] = b[p15 + o];
        }
    }

    /**
     * {@link #packB16} for columns stored contiguously ({@code W.t()}). C2 removes a loop's range checks only
     * for indices whose multiplier of the loop variable is a constant, which {@code kk * rs} is not: about 10% faster.
     */
    private static void packB16Contiguous(float[] b, int src, int cs, int depth, float[] dst, int base) {
        int p1 = src + cs, p2 = src + 2 * cs, p3 = src + 3 * cs, p4 = src + 4 * cs, p5 = src + 5 * cs;
        int p6 = src + 6 * cs, p7 = src + 7 * cs, p8 = src + 8 * cs, p9 = src + 9 * cs, p10 = src + 10 * cs;
        int p11 = src + 11 * cs, p12 = src + 12 * cs, p13 = src + 13 * cs, p14 = src + 14 * cs, p15 = src + 15 * cs;
        for (int kk = 0; kk < depth; kk++) {
            int q = base + kk * 16;
            dst[q] = b[src + kk];
            dst[q + 1] = b[p1 + kk];
            dst[q + 2] = b[p2 + kk];
            dst[q + 3] = b[p3 + kk];
            dst[q + 4] = b[p4 + kk];
            dst[q + 5] = b[p5 + kk];
            dst[q + 6] = b[p6 + kk];
            dst[q + 7] = b[p7 + kk];
            dst[q + 8] = b[p8 + kk];
            dst[q + 9] = b[p9 + kk];
            dst[q + 10] = b[p10 + kk];
            dst[q + 11] = b[p11 + kk];
            dst[q + 12] = b[p12 + kk];
            dst[q + 13] = b[p13 + kk];
            dst[q + 14] = b[p14 + kk];
            dst[q + 15] = b[p15 + kk];
        }
    }

    /**
     * Whole panels of 16 contiguous columns, one source row at a time: the reads stream along B's rows. Panel by
     * panel (a 64-byte copy from each of {@code depth} rows, then the next 64 bytes of the same rows) took 3 to 4
     * times as long at n = 1024.
     */
    private static void rows16(float[] b, int start, int rs, int depth, int cols, float[] dst, int dstOff) {
        int panelStride = 16 * depth;
        for (int kk = 0; kk < depth; kk++) {
            int p = start + kk * rs;
            int q = dstOff + kk * 16;
            for (int j0 = 0; j0 < cols; j0 += 16, p += 16, q += panelStride) {
                copy16(b, p, dst, q);
            }
        }
    }

    private static void copy16(float[] b, int p, float[] dst, int q) {
        dst[q] = b[p];
        dst[q + 1] = b[p + 1];
        dst[q + 2] = b[p + 2];
        dst[q + 3] = b[p + 3];
        dst[q + 4] = b[p + 4];
        dst[q + 5] = b[p + 5];
        dst[q + 6] = b[p + 6];
        dst[q + 7] = b[p + 7];
        dst[q + 8] = b[p + 8];
        dst[q + 9] = b[p + 9];
        dst[q + 10] = b[p + 10];
        dst[q + 11] = b[p + 11];
        dst[q + 12] = b[p + 12];
        dst[q + 13] = b[p + 13];
        dst[q + 14] = b[p + 14];
        dst[q + 15] = b[p + 15];
    }
}
