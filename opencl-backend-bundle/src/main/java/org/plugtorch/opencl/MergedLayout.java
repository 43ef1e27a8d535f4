package org.plugtorch.opencl;

import java.util.Arrays;

/**
 * The iteration space of one element-wise call, with as few dimensions as possible: dimensions of size 1 are dropped,
 * and neighbouring dimensions are merged wherever every operand steps through them as through one (the outer stride
 * is the inner stride times the inner size). A kernel work-item turns its linear index into an element offset with one
 * division per remaining dimension, so a contiguous tensor of any rank costs one.
 */
final class MergedLayout {
    /** Sizes, outermost first; empty for a single element. */
    final long[] shape;
    /** {@code strides[operand][dimension]}, in elements. */
    final long[][] strides;

    private MergedLayout(long[] shape, long[][] strides) {
        this.shape = shape;
        this.strides = strides;
    }

    /** Merges the dimensions of {@code shape}, which every operand shares, given each operand's strides. */
    static MergedLayout of(long[] shape, long[]... operandStrides) {
        int rank = shape.length;
        int operands = operandStrides.length;
        long[] outShape = new long[rank];
        long[][] outStrides = new long[operands][rank];
        int kept = 0;
        for (int d = 0; d < rank; d++) {
            if (shape[d] == 1) {
                continue;
            }
            if (kept > 0 && mergesWithPrevious(outShape, outStrides, kept, shape[d], operandStrides, d)) {
                outShape[kept - 1] *= shape[d];
                for (int j = 0; j < operands; j++) {
                    outStrides[j][kept - 1] = operandStrides[j][d];
                }
                continue;
            }
            outShape[kept] = shape[d];
            for (int j = 0; j < operands; j++) {
                outStrides[j][kept] = operandStrides[j][d];
            }
            kept++;
        }
        long[][] trimmed = new long[operands][];
        for (int j = 0; j < operands; j++) {
            trimmed[j] = Arrays.copyOf(outStrides[j], kept);
        }
        return new MergedLayout(Arrays.copyOf(outShape, kept), trimmed);
    }

    private static boolean mergesWithPrevious(long[] outShape, long[][] outStrides, int kept, long size,
            long[][] operandStrides, int d) {
        for (int j = 0; j < operandStrides.length; j++) {
            if (outStrides[j][kept - 1] != operandStrides[j][d] * size) {
                return false;
            }
        }
        return true;
    }

    int rank() {
        return shape.length;
    }

    long numel() {
        long n = 1;
        for (long s : shape) {
            n *= s;
        }
        return n;
    }

    /** True when every operand walks its elements one after another: the kernel's fast path. */
    boolean allUnitStride() {
        if (shape.length != 1) {
            return shape.length == 0;
        }
        for (long[] s : strides) {
            if (s[0] != 1) {
                return false;
            }
        }
        return true;
    }
}
