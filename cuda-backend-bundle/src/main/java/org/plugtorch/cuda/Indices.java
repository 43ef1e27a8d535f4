package org.plugtorch.cuda;

/** Row-major multi-index iteration. */
final class Indices {
    private Indices() {
    }

    /** Advances {@code idx} over {@code shape}; false when it wrapped around to all zeros. */
    static boolean next(long[] idx, long[] shape) {
        for (int i = idx.length - 1; i >= 0; i--) {
            if (++idx[i] < shape[i]) {
                return true;
            }
            idx[i] = 0;
        }
        return false;
    }
}
