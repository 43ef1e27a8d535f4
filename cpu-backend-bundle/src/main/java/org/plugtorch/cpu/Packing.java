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
            if (cs == 1 || h < mr) {
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
            } else {
                // a transposed B (x @ W.t() in a linear layer): walk each of its columns along memory
                for (int j = 0; j < w; j++) {
                    for (int kk = 0, p = src + j * cs, q = base + j; kk < depth; kk++, p += rs, q += nr) {
                        dst[q] = b[p];
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
}
