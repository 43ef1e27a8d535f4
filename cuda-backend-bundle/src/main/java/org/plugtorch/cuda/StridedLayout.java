package org.plugtorch.cuda;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.plugtorch.spi.Operand;

/**
 * Element-wise operands of one shape, simplified for a kernel: dimensions of extent 1 dropped, the rest ordered by
 * the destination's strides (so that neighbouring threads write neighbouring elements, whatever view the destination
 * is), and neighbours merged wherever every operand steps through them as through one dimension. Contiguous operands
 * thus become rank 1. Each element is computed independently, so the order of dimensions is free to choose.
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
        long[] shape = operands[0].shape();
        List<Integer> dims = new ArrayList<>();
        for (int d = 0; d < shape.length; d++) {
            if (shape[d] != 1) {
                dims.add(d);
            }
        }
        long[] out = operands[0].strides();
        dims.sort((x, y) -> Long.compare(Math.abs(out[y]), Math.abs(out[x]))); // stable: ties keep their order
        List<long[]> merged = new ArrayList<>(); // each: {extent, stride of operand 0, stride of operand 1, ...}
        for (int d : dims) {
            long[] next = new long[n + 1];
            next[0] = shape[d];
            for (int o = 0; o < n; o++) {
                next[o + 1] = operands[o].strides()[d];
            }
            long[] last = merged.isEmpty() ? null : merged.get(merged.size() - 1);
            if (last != null && mergeable(last, next)) {
                for (int o = 1; o <= n; o++) {
                    last[o] = next[o];
                }
                last[0] *= next[0];
            } else {
                merged.add(next);
            }
        }
        long[] s = new long[merged.size()];
        long[][] st = new long[n][merged.size()];
        for (int d = 0; d < s.length; d++) {
            s[d] = merged.get(d)[0];
            for (int o = 0; o < n; o++) {
                st[o][d] = merged.get(d)[o + 1];
            }
        }
        long[] offsets = new long[n];
        for (int o = 0; o < n; o++) {
            offsets[o] = operands[o].offset();
        }
        return new StridedLayout(s, st, offsets);
    }

    /** Whether every operand steps through {@code outer} then {@code inner} as through one dimension. */
    private static boolean mergeable(long[] outer, long[] inner) {
        for (int o = 1; o < outer.length; o++) {
            if (outer[o] != inner[o] * inner[0]) {
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
        } while (Indices.next(idx, leadShape));
        return parts;
    }

    /** The {@code PtStrided} struct's fields ({@link KernelStructs#STRIDED}); unused dimensions have extent 1. */
    long[] pack() {
        int maxDims = KernelStructs.MAX_DIMS;
        int maxOperands = KernelStructs.MAX_OPERANDS;
        if (rank() > maxDims || strides.length > maxOperands) {
            throw new IllegalStateException("layout of rank " + rank() + " with " + strides.length
                    + " operands does not fit the kernels' struct");
        }
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
            s.append(", operand ").append(o).append(": offset ").append(offsets[o]).append(" strides ")
                    .append(Arrays.toString(strides[o]));
        }
        return s.append(')').toString();
    }
}
