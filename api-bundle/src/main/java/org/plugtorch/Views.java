package org.plugtorch;

/**
 * The geometry of views: each method returns a new tensor object over the same storage with new shape, strides
 * and offset, with PyTorch's error texts. They record no autograd history and mark no base; {@link Tensor}'s
 * view methods add both, and the runtime uses these directly for its internal reshaping.
 */
final class Views {
    private Views() {
    }

    static Tensor alias(Tensor t) {
        return new Tensor(t.storage, t.offset, t.shape, t.strides);
    }

    static Tensor view(Tensor t, long... newShape) {
        long[] s = Shapes.inferSize(newShape, t.numel());
        long[] st = Shapes.viewStrides(t.shape, t.strides, s);
        if (st == null) {
            throw new IllegalArgumentException("view size is not compatible with input tensor's size and stride (at "
                    + "least one dimension spans across two contiguous subspaces). Use .reshape(...) instead.");
        }
        return new Tensor(t.storage, t.offset, s, st);
    }

    /** The view with {@code newShape} (one -1 inferred), or null when the strides do not allow one. */
    static Tensor viewIfPossible(Tensor t, long[] newShape) {
        long[] st = Shapes.viewStrides(t.shape, t.strides, newShape);
        return st == null ? null : new Tensor(t.storage, t.offset, newShape, st);
    }

    static Tensor transpose(Tensor t, int dim0, int dim1) {
        int a = Shapes.wrapDim(dim0, t.dim());
        int b = Shapes.wrapDim(dim1, t.dim());
        long[] s = t.shape.clone();
        long[] st = t.strides.clone();
        s[a] = t.shape[b];
        s[b] = t.shape[a];
        st[a] = t.strides[b];
        st[b] = t.strides[a];
        return new Tensor(t.storage, t.offset, s, st);
    }

    static Tensor permute(Tensor t, int... dims) {
        if (dims.length != t.dim()) {
            throw new IllegalArgumentException("permute(sparse_coo): number of dimensions in the tensor input does not "
                    + "match the length of the desired ordering of dimensions i.e. input.dim() = " + t.dim()
                    + " is not equal to len(dims) = " + dims.length);
        }
        long[] s = new long[dims.length];
        long[] st = new long[dims.length];
        boolean[] seen = new boolean[dims.length];
        for (int i = 0; i < dims.length; i++) {
            int d = Shapes.wrapDim(dims[i], t.dim());
            if (seen[d]) {
                throw new IllegalArgumentException("permute(): duplicate dims are not allowed.");
            }
            seen[d] = true;
            s[i] = t.shape[d];
            st[i] = t.strides[d];
        }
        return new Tensor(t.storage, t.offset, s, st);
    }

    static Tensor unsqueeze(Tensor t, int dim) {
        int d = Shapes.wrapDim(dim, t.dim() + 1);
        long stride = d < t.dim() ? t.shape[d] * t.strides[d] : 1;
        return new Tensor(t.storage, t.offset, Shapes.insert(t.shape, d, 1), Shapes.insert(t.strides, d, stride));
    }

    static Tensor squeeze(Tensor t) {
        int n = 0;
        for (long d : t.shape) {
            n += d == 1 ? 0 : 1;
        }
        long[] s = new long[n];
        long[] st = new long[n];
        int k = 0;
        for (int i = 0; i < t.shape.length; i++) {
            if (t.shape[i] != 1) {
                s[k] = t.shape[i];
                st[k++] = t.strides[i];
            }
        }
        return new Tensor(t.storage, t.offset, s, st);
    }

    static Tensor squeeze(Tensor t, int dim) {
        if (t.dim() == 0) {
            Shapes.wrapDim(dim, 0);
            return alias(t);
        }
        int d = Shapes.wrapDim(dim, t.dim());
        if (t.shape[d] != 1) {
            return alias(t);
        }
        return new Tensor(t.storage, t.offset, Shapes.remove(t.shape, d), Shapes.remove(t.strides, d));
    }

    /** A broadcast view with stride 0 on expanded dimensions; -1 keeps a size. */
    static Tensor expand(Tensor t, long... sizes) {
        long[] target = sizes.clone();
        int lead = target.length - t.dim();
        for (int i = 0; i < target.length; i++) {
            if (target[i] == -1) {
                if (i < lead) {
                    throw new IllegalArgumentException("The expanded size of the tensor (-1) isn't allowed in a leading, "
                            + "non-existing dimension " + i);
                }
                target[i] = t.shape[i - lead];
            }
        }
        long[] strides = Shapes.expandStrides(t.shape, t.strides, target);
        Shapes.viewNumel(target);
        return new Tensor(t.storage, t.offset, target, strides);
    }

    /** {@code t[start:end:step]} along one dimension, with Python's clamping and negative indices. */
    static Tensor slice(Tensor t, int dim, long start, long end, long step) {
        int d = Shapes.wrapDim(dim, t.dim());
        if (step <= 0) {
            throw new IllegalArgumentException("slice step must be positive");
        }
        long size = t.shape[d];
        long s = clampIndex(start, size);
        long e = clampIndex(end, size);
        long len = e <= s ? 0 : (e - s + step - 1) / step;
        long[] ns = t.shape.clone();
        long[] nst = t.strides.clone();
        ns[d] = len;
        nst[d] = t.strides[d] * step;
        return new Tensor(t.storage, t.offset + s * t.strides[d], ns, nst);
    }

    /** The start a slice really begins at, after Python's clamping (for its backward). */
    static long sliceStart(long start, long size) {
        return clampIndex(start, size);
    }

    private static long clampIndex(long i, long size) {
        long v = i < 0 ? i + size : i;
        return Math.max(0, Math.min(size, v));
    }

    static Tensor select(Tensor t, int dim, long index) {
        if (t.dim() == 0) {
            throw new IndexOutOfBoundsException("select() cannot be applied to a 0-dim tensor.");
        }
        int d = Shapes.wrapDim(dim, t.dim());
        long size = t.shape[d];
        if (index < -size || index >= size) {
            throw new IndexOutOfBoundsException("select(): index " + index + " out of range for tensor of size "
                    + Shapes.list(t.shape) + " at dimension " + d);
        }
        long i = index < 0 ? index + size : index;
        return new Tensor(t.storage, t.offset + i * t.strides[d], Shapes.remove(t.shape, d), Shapes.remove(t.strides, d));
    }
}
