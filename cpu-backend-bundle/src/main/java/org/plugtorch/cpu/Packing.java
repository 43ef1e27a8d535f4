package org.plugtorch.cpu;

/**
 * Copies blocks of strided float32 matrices into the micro-panel order a register-blocked GEMM kernel reads
 * sequentially, zero-padding the last panel so the kernel never needs an edge case. Any strides are accepted (a
 * transposed weight, a broadcast batch, an offset view): the loops walk the source along its unit stride when it has
 * one, so a transposed operand costs about the same as a contiguous one.
 */
final class Packing {
    private Packing() {
    }

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
     * panels of {@code nr} columns: {@code dst[(panel * depth + kk) * nr + j] = B[kk][panel * nr + j]}.
     */
    static void packB(float[] b, int start, int rs, int cs, int depth, int cols, int nr, float[] dst) {
        for (int j0 = 0; j0 < cols; j0 += nr) {
            int w = Math.min(nr, cols - j0);
            int base = j0 * depth;
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
}
