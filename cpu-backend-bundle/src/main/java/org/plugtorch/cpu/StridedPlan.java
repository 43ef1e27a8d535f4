package org.plugtorch.cpu;

import org.plugtorch.spi.IterationSpace;

/**
 * The iteration space shared by several strided operands of one shape, as the SPI's {@link IterationSpace} coalesces
 * it (dimensions of size 1 dropped, the rest optionally ordered by the first operand's strides, neighbours merged
 * wherever every operand allows it), counted in ints for Java loops and walked run by run. A contiguous tensor, a
 * broadcast scalar and many transposes collapse to a single dimension, so kernels see long inner runs.
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
     * The shared coalescing ({@link IterationSpace}), each merged dimension kept within an int, then counted in ints.
     *
     * @param strides one stride array per operand, each of {@code shape.length}
     * @param reorder whether dimensions may be visited in another order than row-major: true for element-wise
     *                kernels, where elements are independent; false when the visiting order matters (argmax)
     */
    static StridedPlan of(long[] shape, long[][] strides, long[] offsets, boolean reorder) {
        IterationSpace space = IterationSpace.coalesce(shape, strides, reorder, Integer.MAX_VALUE);
        int operands = strides.length;
        int rank = space.rank();
        int[] outShape = new int[Math.max(rank, 1)];
        outShape[0] = 1; // a single element (rank 0): one run of length 1
        for (int d = 0; d < rank; d++) {
            outShape[d] = Math.toIntExact(space.size(d));
        }
        // row by row: a two-dimensional new with a variable length is a call into the VM
        int[][] outStrides = new int[operands][];
        for (int k = 0; k < operands; k++) {
            long[] s = space.strides(k);
            int[] t = new int[outShape.length];
            for (int d = 0; d < rank; d++) {
                t[d] = (int) s[d]; // in bounds of an array (checked before planning), unless never used
            }
            outStrides[k] = t;
        }
        return new StridedPlan(outShape, outStrides, ints(offsets), space.numel());
    }

    private static int[] ints(long[] offsets) {
        int[] out = new int[offsets.length];
        for (int k = 0; k < offsets.length; k++) {
            out[k] = Math.toIntExact(offsets[k]);
        }
        return out;
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
