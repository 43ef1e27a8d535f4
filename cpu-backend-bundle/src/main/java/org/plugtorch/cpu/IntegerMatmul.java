package org.plugtorch.cpu;

/**
 * Integer and bool matrix products, in long arithmetic: wrapping at 64 bits and narrowing to int32 afterwards gives
 * exactly the 32-bit wrapped sum of products, and a bool product is "any a and b" (stored {@code != 0}). Loops run
 * i-k-j over a scratch row so B is read along its rows; these products are rare and small, so there is no packing.
 */
final class IntegerMatmul implements Matmul.Tiles {
    private final Object c;
    private final int[] cl;
    private final Object a;
    private final int[] al;
    private final Object b;
    private final int[] bl;
    private final int k;

    /** Layouts are {offset, batch stride, row stride, column stride}. */
    IntegerMatmul(Object c, int[] cLayout, Object a, int[] aLayout, Object b, int[] bLayout, int k) {
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
        int width = colTo - colFrom;
        long[] row = new long[width];
        for (int i = rowFrom; i < rowTo; i++) {
            java.util.Arrays.fill(row, 0);
            int aRow = al[0] + batch * al[1] + i * al[2];
            for (int kk = 0; kk < k; kk++) {
                long aik = read(a, aRow + kk * al[3]);
                int bRow = bl[0] + batch * bl[1] + kk * bl[2] + colFrom * bl[3];
                accumulate(row, aik, bRow, bl[3]);
            }
            int cRow = cl[0] + batch * cl[1] + i * cl[2] + colFrom * cl[3];
            for (int j = 0; j < width; j++) {
                write(cRow + j * cl[3], row[j]);
            }
        }
    }

    private void accumulate(long[] row, long aik, int start, int stride) {
        if (b instanceof long[]) {
            long[] s = (long[]) b;
            for (int j = 0, p = start; j < row.length; j++, p += stride) {
                row[j] += aik * s[p];
            }
        } else if (b instanceof int[]) {
            int[] s = (int[]) b;
            for (int j = 0, p = start; j < row.length; j++, p += stride) {
                row[j] += aik * s[p];
            }
        } else {
            byte[] s = (byte[]) b;
            for (int j = 0, p = start; j < row.length; j++, p += stride) {
                row[j] += aik * s[p];
            }
        }
    }

    private static long read(Object array, int p) {
        if (array instanceof long[]) {
            return ((long[]) array)[p];
        }
        if (array instanceof int[]) {
            return ((int[]) array)[p];
        }
        return ((byte[]) array)[p];
    }

    private void write(int p, long value) {
        if (c instanceof long[]) {
            ((long[]) c)[p] = value;
        } else if (c instanceof int[]) {
            ((int[]) c)[p] = (int) value;
        } else {
            ((byte[]) c)[p] = (byte) (value != 0 ? 1 : 0);
        }
    }
}
