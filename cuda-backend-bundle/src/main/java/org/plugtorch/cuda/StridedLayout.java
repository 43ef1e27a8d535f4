package org.plugtorch.cuda;

import static org.plugtorch.spi.Preconditions.checkState;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.plugtorch.spi.IterationSpace;
import org.plugtorch.spi.Operand;

/**
 * Element-wise operands of one shape, simplified for a kernel by the SPI's {@link IterationSpace#anyOrder}: dimensions
 * of extent 1 dropped, the rest ordered by the destination's strides (so that neighbouring threads write neighbouring
 * elements, whatever view the destination is), and neighbours merged wherever every operand steps through them as
 * through one dimension. Contiguous operands thus become rank 1. Each element is computed independently, so the
 * order of dimensions is free to choose.
 *
 * <p>A layout still above the kernels' {@link KernelStructs#MAX_DIMS} dimensions is {@linkplain #split split}: its
 * leading dimensions are iterated here, one launch per index.
 */
final class StridedLayout {
    final long[] shape;
    /** strides[operand][dim]. */
    final long[][] strides;

    final long[] offsets;

    private StridedLayout(long[] shape, long[][] strides, long[] offsets) {
        this.shape = shape;
        this.strides = strides;
        this.offsets = offsets;
    }

    /** The layout of operands of one shape; {@code operands[0]} is the destination. */
    static StridedLayout of(Operand... operands) {
        int n = operands.length;
        long[][] strides = new long[n][];
        long[] offsets = new long[n];
        for (int o = 0; o < n; o++) {
            strides[o] = operands[o].strides();
            offsets[o] = operands[o].offset();
        }
        IterationSpace space = IterationSpace.anyOrder(operands[0].shape(), strides);
        long[][] merged = new long[n][];
        for (int o = 0; o < n; o++) {
            merged[o] = space.strides(o);
        }
        return new StridedLayout(space.shape(), merged, offsets);
    }

    int rank() {
        return shape.length;
    }

    long numel() {
        long n = 1;
        for (long d : shape) {
            n *= d;
        }
        return n;
    }

    /** Layouts of at most {@code maxRank} dimensions that together cover this one. */
    List<StridedLayout> split(int maxRank) {
        if (rank() <= maxRank) {
            return List.of(this);
        }
        int lead = rank() - maxRank;
        long[] leadShape = Arrays.copyOf(shape, lead);
        long[] tailShape = Arrays.copyOfRange(shape, lead, shape.length);
        List<StridedLayout> parts = new ArrayList<>();
        long[] idx = new long[lead];
        do {
            long[] off = offsets.clone();
            long[][] st = new long[strides.length][];
            for (int o = 0; o < strides.length; o++) {
                for (int d = 0; d < lead; d++) {
                    off[o] += idx[d] * strides[o][d];
                }
                st[o] = Arrays.copyOfRange(strides[o], lead, shape.length);
            }
            parts.add(new StridedLayout(tailShape, st, off));
        } while (IterationSpace.next(idx, leadShape));
        return parts;
    }

    /** The {@code PtStrided} struct's fields ({@link KernelStructs#STRIDED}); unused dimensions have extent 1. */
    long[] pack() {
        int maxDims = KernelStructs.MAX_DIMS;
        int maxOperands = KernelStructs.MAX_OPERANDS;
        checkState(
                rank() <= maxDims && strides.length <= maxOperands,
                () -> "layout of rank " + rank() + " with " + strides.length
                        + " operands does not fit the kernels' struct");
        long[] f = new long[KernelStructs.longs(KernelStructs.STRIDED)];
        int p = 0;
        f[p++] = numel();
        f[p++] = rank();
        for (int d = 0; d < maxDims; d++) {
            f[p++] = d < rank() ? shape[d] : 1;
        }
        for (int o = 0; o < maxOperands; o++) {
            f[p++] = o < offsets.length ? offsets[o] : 0;
        }
        for (int o = 0; o < maxOperands; o++) {
            for (int d = 0; d < maxDims; d++) {
                f[p++] = o < strides.length && d < rank() ? strides[o][d] : 0;
            }
        }
        return f;
    }

    @Override
    public String toString() {
        StringBuilder s = new StringBuilder("StridedLayout(shape=" + Arrays.toString(shape));
        for (int o = 0; o < strides.length; o++) {
            s.append(", operand ")
                    .append(o)
                    .append(": offset ")
                    .append(offsets[o])
                    .append(" strides ")
                    .append(Arrays.toString(strides[o]));
        }
        return s.append(')').toString();
    }
}
