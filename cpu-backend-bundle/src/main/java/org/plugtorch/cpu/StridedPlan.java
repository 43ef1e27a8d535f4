package org.plugtorch.cpu;

import java.util.Arrays;

/**
 * The iteration space shared by several strided operands of one shape: dimensions of size 1 dropped, the rest
 * (optionally) ordered so that the first operand walks memory forwards with its smallest stride innermost, and
 * adjacent dimensions merged wherever every operand allows it. A contiguous tensor, a broadcast scalar and many
 * transposes collapse to a single dimension, so kernels see long inner runs.
 *
 * <p>Positions and dimension sizes are ints: every operand addresses one Java array, and its elements are in bounds
 * (checked by the backend before planning); only the element count, which a broadcast source may push past an int,
 * is a long.
 */
final class StridedPlan {
    /** Receives one inner run: element {@code i} of operand {@code k} is at {@code offsets[k] + i * innerStride(k)}. */
    interface RunVisitor {
        void run(int[] offsets, int length);
    }

    private final int[] shape;
    private final int[][] strides;
    private final int[] offsets;
    private final long numel;

    private StridedPlan(int[] shape, int[][] strides, int[] offsets, long numel) {
        this.shape = shape;
        this.strides = strides;
        this.offsets = offsets;
        this.numel = numel;
    }

    /**
     * @param strides one stride array per operand, each of {@code shape.length}
     * @param reorder whether dimensions may be visited in another order than row-major: true for element-wise
     *                kernels, where elements are independent; false when the visiting order matters (argmax)
     */
    static StridedPlan of(long[] shape, long[][] strides, long[] offsets, boolean reorder) {
        int operands = strides.length;
        long numel = 1;
        // plain arrays and an insertion sort, not a list of boxed indices and a comparator: a plan is built on
        // every element-wise call, and ranks are small
        int[] dims = new int[shape.length];
        int count = 0;
        for (int i = 0; i < shape.length; i++) {
            numel *= shape[i];
            if (shape[i] != 1) {
                dims[count++] = i;
            }
        }
        if (reorder) {
            // stable, outermost first: larger strides of the first operand outside, ties broken by the others
            for (int i = 1; i < count; i++) {
                int d = dims[i];
                int j = i;
                while (j > 0 && outerFirst(strides, d, dims[j - 1]) < 0) {
                    dims[j] = dims[j - 1];
                    j--;
                }
                dims[j] = d;
            }
        }
        int[] outShape = new int[Math.max(count, 1)];
        int[][] outStrides = new int[operands][outShape.length];
        int rank = 0;
        for (int i = 0; i < count; i++) {
            int d = dims[i];
            int size = Math.toIntExact(shape[d]);
            // a merged dimension must still count in an int: a broadcast source can have more elements than an array
            boolean merge = rank > 0 && (long) outShape[rank - 1] * size <= Integer.MAX_VALUE;
            for (int k = 0; k < operands && merge; k++) {
                merge = outStrides[k][rank - 1] == strides[k][d] * shape[d];
            }
            if (merge) {
                outShape[rank - 1] *= size;
            } else {
                outShape[rank++] = size;
            }
            for (int k = 0; k < operands; k++) {
                outStrides[k][rank - 1] = (int) strides[k][d];
            }
        }
        if (rank == 0) {
            outShape[rank++] = 1; // a single element: one run of length 1
        }
        int[][] trimmed = new int[operands][];
        int[] base = new int[operands];
        for (int k = 0; k < operands; k++) {
            trimmed[k] = Arrays.copyOf(outStrides[k], rank);
            base[k] = Math.toIntExact(offsets[k]);
        }
        return new StridedPlan(Arrays.copyOf(outShape, rank), trimmed, base, numel);
    }

    /** Negative when dimension x goes outside y: a larger stride of the first operand, ties broken by the others. */
    private static int outerFirst(long[][] strides, int x, int y) {
        for (long[] s : strides) {
            int c = Long.compare(Math.abs(s[y]), Math.abs(s[x]));
            if (c != 0) {
                return c;
            }
        }
        return 0;
    }

    long numel() {
        return numel;
    }

    /** True when the whole plan is one run (at most one dimension is left after merging). */
    boolean isSingleRun() {
        return shape.length == 1;
    }

    /** Dimensions left after merging (at least 1). */
    int rank() {
        return shape.length;
    }

    int operandCount() {
        return offsets.length;
    }

    int size(int dim) {
        return shape[dim];
    }

    int stride(int operand, int dim) {
        return strides[operand][dim];
    }

    int offset(int operand) {
        return offsets[operand];
    }

    int innerLength() {
        return shape[shape.length - 1];
    }

    int innerStride(int operand) {
        int[] s = strides[operand];
        return s[s.length - 1];
    }

    /** Visits every inner run in order; nothing when the shape has a zero dimension. */
    void forEachRun(RunVisitor visitor) {
        forEachRun(0, numel, visitor);
    }

    /**
     * Visits the runs that cover elements {@code [first, end)} of the plan's order, the first and last ones cut
     * to fit: disjoint ranges can go to different threads. The offsets array is reused between calls.
     */
    void forEachRun(long first, long end, RunVisitor visitor) {
        if (first >= end) {
            return;
        }
        int rank = shape.length;
        int operands = offsets.length;
        int inner = shape[rank - 1];
        int[] idx = new int[rank];
        long outer = first / inner;
        for (int d = rank - 2; d >= 0; d--) {
            idx[d] = (int) (outer % shape[d]);
            outer /= shape[d];
        }
        int start = (int) (first % inner);
        int[] pos = new int[operands];
        for (int k = 0; k < operands; k++) {
            pos[k] = offsets[k] + start * strides[k][rank - 1];
            for (int d = 0; d < rank - 1; d++) {
                pos[k] += idx[d] * strides[k][d];
            }
        }
        long remaining = end - first;
        while (true) {
            int length = (int) Math.min(inner - start, remaining);
            visitor.run(pos, length);
            remaining -= length;
            if (remaining == 0) {
                return;
            }
            for (int k = 0; k < operands; k++) {
                pos[k] -= start * strides[k][rank - 1];
            }
            start = 0;
            for (int d = rank - 2; d >= 0; d--) {
                if (++idx[d] < shape[d]) {
                    for (int k = 0; k < operands; k++) {
                        pos[k] += strides[k][d];
                    }
                    break;
                }
                idx[d] = 0;
                for (int k = 0; k < operands; k++) {
                    pos[k] -= strides[k][d] * (shape[d] - 1);
                }
            }
        }
    }
}
