package org.plugtorch.internal.runtime;

import static org.plugtorch.internal.runtime.Tensors.impl;
import static org.plugtorch.spi.Preconditions.checkArgument;
import static org.plugtorch.spi.Preconditions.checkIndex;

import org.plugtorch.Tensor;

/**
 * The geometry of views: each method returns a new tensor object over the same storage with new shape, strides
 * and offset, with PyTorch's error texts. They record no autograd history and mark no base; {@link Tensor}'s
 * view methods add both, and the runtime uses these directly for its internal reshaping.
 */
public final class Views {
    private Views() {}

    private static Tensor over(TensorImpl t, long offset, long[] shape, long[] strides) {
        return Tensors.create(t.storage, offset, shape, strides);
    }

    public static Tensor alias(Tensor t) {
        TensorImpl i = impl(t);
        return over(i, i.offset, i.shape, i.strides);
    }

    public static Tensor view(Tensor t, long... newShape) {
        TensorImpl i = impl(t);
        long[] s = Shapes.inferSize(newShape, i.numel());
        long[] st = Shapes.viewStrides(i.shape, i.strides, s);
        checkArgument(
                st != null,
                "view size is not compatible with input tensor's size and stride (at "
                        + "least one dimension spans across two contiguous subspaces). Use .reshape(...) instead.");
        return over(i, i.offset, s, st);
    }

    /** The view with {@code newShape} (one -1 inferred), or null when the strides do not allow one. */
    public static Tensor viewIfPossible(Tensor t, long[] newShape) {
        TensorImpl i = impl(t);
        long[] st = Shapes.viewStrides(i.shape, i.strides, newShape);
        return st == null ? null : over(i, i.offset, newShape, st);
    }

    public static Tensor transpose(Tensor t, int dim0, int dim1) {
        TensorImpl i = impl(t);
        int a = Shapes.wrapDim(dim0, i.dim());
        int b = Shapes.wrapDim(dim1, i.dim());
        long[] s = i.shape.clone();
        long[] st = i.strides.clone();
        s[a] = i.shape[b];
        s[b] = i.shape[a];
        st[a] = i.strides[b];
        st[b] = i.strides[a];
        return over(i, i.offset, s, st);
    }

    public static Tensor permute(Tensor t, int... dims) {
        TensorImpl i = impl(t);
        int rank = i.dim();
        checkArgument(
                dims.length == rank,
                () -> "permute(sparse_coo): number of dimensions in the tensor input does not "
                        + "match the length of the desired ordering of dimensions i.e. input.dim() = " + rank
                        + " is not equal to len(dims) = " + dims.length);
        long[] s = new long[dims.length];
        long[] st = new long[dims.length];
        boolean[] seen = new boolean[dims.length];
        for (int k = 0; k < dims.length; k++) {
            int d = Shapes.wrapDim(dims[k], rank);
            checkArgument(!seen[d], "permute(): duplicate dims are not allowed.");
            seen[d] = true;
            s[k] = i.shape[d];
            st[k] = i.strides[d];
        }
        return over(i, i.offset, s, st);
    }

    public static Tensor unsqueeze(Tensor t, int dim) {
        TensorImpl i = impl(t);
        int d = Shapes.wrapDim(dim, i.dim() + 1);
        long stride = d < i.dim() ? i.shape[d] * i.strides[d] : 1;
        return over(i, i.offset, Shapes.insert(i.shape, d, 1), Shapes.insert(i.strides, d, stride));
    }

    public static Tensor squeeze(Tensor t) {
        TensorImpl i = impl(t);
        int n = 0;
        for (long d : i.shape) {
            n += d == 1 ? 0 : 1;
        }
        long[] s = new long[n];
        long[] st = new long[n];
        int k = 0;
        for (int d = 0; d < i.shape.length; d++) {
            if (i.shape[d] != 1) {
                s[k] = i.shape[d];
                st[k++] = i.strides[d];
            }
        }
        return over(i, i.offset, s, st);
    }

    public static Tensor squeeze(Tensor t, int dim) {
        TensorImpl i = impl(t);
        if (i.dim() == 0) {
            Shapes.wrapDim(dim, 0);
            return alias(t);
        }
        int d = Shapes.wrapDim(dim, i.dim());
        if (i.shape[d] != 1) {
            return alias(t);
        }
        return over(i, i.offset, Shapes.remove(i.shape, d), Shapes.remove(i.strides, d));
    }

    /** A broadcast view with stride 0 on expanded dimensions; -1 keeps a size. */
    public static Tensor expand(Tensor t, long... sizes) {
        TensorImpl i = impl(t);
        long[] target = sizes.clone();
        int lead = target.length - i.dim();
        for (int k = 0; k < target.length; k++) {
            if (target[k] == -1) {
                int leading = k;
                checkArgument(
                        k >= lead,
                        () -> "The expanded size of the tensor (-1) isn't allowed in a leading, "
                                + "non-existing dimension " + leading);
                target[k] = i.shape[k - lead];
            }
        }
        long[] strides = Shapes.expandStrides(i.shape, i.strides, target);
        Shapes.viewNumel(target);
        return over(i, i.offset, target, strides);
    }

    /** {@code t[start:end:step]} along one dimension, with Python's clamping and negative indices. */
    public static Tensor slice(Tensor t, int dim, long start, long end, long step) {
        TensorImpl i = impl(t);
        int d = Shapes.wrapDim(dim, i.dim());
        checkArgument(step > 0, "slice step must be positive");
        long size = i.shape[d];
        long s = clampIndex(start, size);
        long e = clampIndex(end, size);
        long len = e <= s ? 0 : (e - s + step - 1) / step;
        long[] ns = i.shape.clone();
        long[] nst = i.strides.clone();
        ns[d] = len;
        nst[d] = i.strides[d] * step;
        return over(i, i.offset + s * i.strides[d], ns, nst);
    }

    private static long clampIndex(long i, long size) {
        long v = i < 0 ? i + size : i;
        return Math.max(0, Math.min(size, v));
    }

    public static Tensor select(Tensor t, int dim, long index) {
        TensorImpl i = impl(t);
        checkIndex(i.dim() != 0, "select() cannot be applied to a 0-dim tensor.");
        int d = Shapes.wrapDim(dim, i.dim());
        long size = i.shape[d];
        checkIndex(
                index >= -size && index < size,
                () -> "select(): index " + index + " out of range for tensor of size " + Shapes.list(i.shape)
                        + " at dimension " + d);
        long k = index < 0 ? index + size : index;
        return over(i, i.offset + k * i.strides[d], Shapes.remove(i.shape, d), Shapes.remove(i.strides, d));
    }
}
