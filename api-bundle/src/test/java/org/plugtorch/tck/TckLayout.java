package org.plugtorch.tck;

import java.util.Arrays;
import java.util.Random;
import org.plugtorch.spi.DeviceBuffer;
import org.plugtorch.spi.Operand;

/**
 * Where a test operand's elements live in its buffer: offset, shape and strides, plus the size of the buffer that
 * holds them. The factories build the layouts the runtime produces: contiguous tensors, slices with steps and
 * offsets, permuted (transposed) views, broadcasts (stride 0) and broadcast scalars. Buffers are usually larger
 * than the view, so a kernel writing outside its destination is caught.
 */
final class TckLayout {
    final String kind;
    final long[] shape;
    final long[] strides;
    final long offset;
    final long bufferSize;

    private TckLayout(String kind, long[] shape, long[] strides, long offset, long bufferSize) {
        this.kind = kind;
        this.shape = shape;
        this.strides = strides;
        this.offset = offset;
        this.bufferSize = bufferSize;
    }

    static long numel(long[] shape) {
        long n = 1;
        for (long d : shape) {
            n *= d;
        }
        return n;
    }

    long numel() {
        return numel(shape);
    }

    Operand on(DeviceBuffer buffer) {
        return new Operand(buffer, offset, shape, strides);
    }

    /** Row-major, at element 0 of a buffer that fits exactly. */
    static TckLayout contiguous(long[] shape) {
        return new TckLayout("contiguous", shape.clone(), Operand.contiguousStrides(shape), 0, numel(shape));
    }

    /** Row-major, at a non-zero offset, with spare elements after it. */
    static TckLayout offset(long[] shape, Random r) {
        long off = 1 + r.nextInt(5);
        return new TckLayout(
                "offset", shape.clone(), Operand.contiguousStrides(shape), off, off + numel(shape) + r.nextInt(4));
    }

    /**
     * A slice with steps of a larger row-major tensor ({@code t[a::2, b::3, ...]}): every dimension has a step of 1
     * to 3 and some padding, and the view starts inside the padding, so the offset is usually non-zero.
     */
    static TckLayout strided(long[] shape, Random r) {
        int rank = shape.length;
        long[] parent = new long[rank];
        long[] step = new long[rank];
        long[] start = new long[rank];
        for (int d = 0; d < rank; d++) {
            step[d] = 1 + r.nextInt(3);
            long pad = r.nextInt(3);
            parent[d] = Math.max(1, shape[d] * step[d] + pad);
            start[d] = shape[d] == 0 ? 0 : r.nextInt((int) (pad + 1));
        }
        if (rank > 0 && step[rank - 1] == 1 && shape[rank - 1] > 1) {
            step[rank - 1] = 2; // make sure the innermost dimension is not unit-stride
            parent[rank - 1] = shape[rank - 1] * 2 + 1;
        }
        long[] parentStrides = Operand.contiguousStrides(parent);
        long[] strides = new long[rank];
        long off = 0;
        for (int d = 0; d < rank; d++) {
            strides[d] = parentStrides[d] * step[d];
            off += start[d] * parentStrides[d];
        }
        return new TckLayout("strided", shape.clone(), strides, off, numel(parent) + 1);
    }

    /** A permuted view of a row-major buffer: {@code perm[i]} is the view dimension stored at position i. */
    static TckLayout permuted(long[] shape, int[] perm) {
        int rank = shape.length;
        long[] stored = new long[rank];
        for (int i = 0; i < rank; i++) {
            stored[i] = shape[perm[i]];
        }
        long[] storedStrides = Operand.contiguousStrides(stored);
        long[] strides = new long[rank];
        for (int i = 0; i < rank; i++) {
            strides[perm[i]] = storedStrides[i];
        }
        return new TckLayout("permuted" + Arrays.toString(perm), shape.clone(), strides, 0, numel(shape));
    }

    /** A random permutation, other than the identity when the rank allows it. */
    static TckLayout permuted(long[] shape, Random r) {
        int rank = shape.length;
        int[] perm = new int[rank];
        for (int i = 0; i < rank; i++) {
            perm[i] = i;
        }
        if (rank >= 2) {
            do {
                for (int i = rank - 1; i > 0; i--) {
                    int j = r.nextInt(i + 1);
                    int t = perm[i];
                    perm[i] = perm[j];
                    perm[j] = t;
                }
            } while (isIdentity(perm));
        }
        return permuted(shape, perm);
    }

    /** The transpose of the last two dimensions of a row-major buffer ({@code W.t()}, {@code x.transpose(-1, -2)}). */
    static TckLayout transposedLastTwo(long[] shape) {
        int rank = shape.length;
        int[] perm = new int[rank];
        for (int i = 0; i < rank; i++) {
            perm[i] = i;
        }
        perm[rank - 2] = rank - 1;
        perm[rank - 1] = rank - 2;
        return permuted(shape, perm);
    }

    private static boolean isIdentity(int[] perm) {
        for (int i = 0; i < perm.length; i++) {
            if (perm[i] != i) {
                return false;
            }
        }
        return true;
    }

    /**
     * A broadcast: the dimensions marked in {@code expanded} have stride 0, and the buffer holds only one element
     * along them (an expanded {@code [3, 1, 4]} viewed as {@code [3, 5, 4]}), at a small offset.
     */
    static TckLayout broadcast(long[] shape, boolean[] expanded, Random r) {
        long[] stored = shape.clone();
        for (int d = 0; d < shape.length; d++) {
            if (expanded[d]) {
                stored[d] = 1;
            }
        }
        long[] strides = Operand.contiguousStrides(stored);
        for (int d = 0; d < shape.length; d++) {
            if (expanded[d]) {
                strides[d] = 0;
            }
        }
        long off = r.nextInt(3);
        return new TckLayout(
                "broadcast" + Arrays.toString(expanded), shape.clone(), strides, off, off + numel(stored) + 1);
    }

    /** A broadcast along a random non-empty subset of the dimensions (all of them, sometimes). */
    static TckLayout broadcast(long[] shape, Random r) {
        boolean[] expanded = new boolean[shape.length];
        boolean any = false;
        for (int d = 0; d < shape.length; d++) {
            expanded[d] = r.nextBoolean();
            any |= expanded[d];
        }
        if (!any && shape.length > 0) {
            expanded[r.nextInt(shape.length)] = true;
        }
        return broadcast(shape, expanded, r);
    }

    /** One element seen at every index: all strides 0 (a Python number joining an operation). */
    static TckLayout scalar(long[] shape, Random r) {
        long off = r.nextInt(4);
        return new TckLayout("scalar", shape.clone(), new long[shape.length], off, off + 1 + r.nextInt(3));
    }

    /** This view over a batch-broadcast buffer: dimension 0 gets stride 0 and the buffer holds one batch item. */
    TckLayout withBroadcastBatch() {
        long[] s = strides.clone();
        s[0] = 0;
        long items = Math.max(1, shape[0]);
        return new TckLayout(kind + "+batch-broadcast", shape, s, offset, Math.max(1, bufferSize / items));
    }

    @Override
    public String toString() {
        return kind + " shape=" + Arrays.toString(shape) + " strides=" + Arrays.toString(strides) + " offset=" + offset
                + " buffer=" + bufferSize;
    }
}
