package org.plugtorch;

import java.util.Arrays;

/**
 * Autograd for views whose base changed in place (PyTorch's view tracking): an in-place operation on a view gives
 * the base a {@link CopySlices} history, and a view whose base has a newer version than its history regenerates
 * that history as {@link AsStridedBackward0}, so its gradient reaches the base's current history instead of a stale
 * one.
 */
final class ViewAutograd {
    private ViewAutograd() {
    }

    /** Where a view sits in its base: shapes, strides and the offset relative to the base's. */
    static final class Geometry {
        final long[] baseShape;
        final long[] baseStrides;
        final long[] viewShape;
        final long[] viewStrides;
        final long viewOffset;

        Geometry(Tensor base, Tensor view) {
            this.baseShape = base.shape;
            this.baseStrides = base.strides;
            this.viewShape = view.shape;
            this.viewStrides = view.strides;
            this.viewOffset = view.offset - base.offset;
        }

        /** A zero-filled tensor laid out as the base (same strides) on {@code like}'s device and dtype. */
        Tensor baseLayout(Tensor like) {
            long extent = 1;
            for (int i = 0; i < baseShape.length; i++) {
                if (baseShape[i] == 0) {
                    extent = 0;
                    break;
                }
                extent += (baseShape[i] - 1) * baseStrides[i];
            }
            Tensor flat = Ops.empty(new long[] {extent}, like.dtype(), like.device());
            return new Tensor(flat.storage, 0, baseShape, baseStrides);
        }

        /** The view's place inside a tensor made by {@link #baseLayout}. */
        Tensor viewIn(Tensor baseLayout) {
            return new Tensor(baseLayout.storage, viewOffset, viewShape, viewStrides);
        }
    }

    /** Regenerates the history of a view whose base changed since the view's history was recorded. */
    static void refresh(Tensor view) {
        Tensor base = view.base;
        int version = view.storage.version;
        if (view.noGradView || base.storage != view.storage || !base.requiresGrad()) {
            view.viewVersion = version;
            return;
        }
        view.gradFn = new AsStridedBackward0(base, view);
        view.viewVersion = version;
    }

    /**
     * A view as a window on its base: the gradient lands in its place in zeros laid out as the base. Elements
     * that a broadcast view repeats (stride 0) sum their gradients.
     */
    static final class AsStridedBackward0 extends Node {
        private final Geometry geometry;

        AsStridedBackward0(Tensor base, Tensor view) {
            super(base);
            this.geometry = new Geometry(base, view);
        }

        @Override
        protected Tensor[] backward(Tensor grad) {
            long[] shape = geometry.viewShape.clone();
            Tensor g = grad;
            for (int i = 0; i < shape.length; i++) {
                if (geometry.viewStrides[i] == 0 && shape[i] > 1) {
                    g = g.sum(new int[] {i}, true);
                    shape[i] = 1;
                }
            }
            Tensor out = geometry.baseLayout(grad);
            Tensor window = new Tensor(out.storage, geometry.viewOffset, shape, geometry.viewStrides);
            Ops.copyInto(window, g);
            return new Tensor[] {out};
        }
    }

    /**
     * The history of a base after an in-place operation on one of its views: the base's gradient passes through
     * unchanged outside the view, and through the operation's own rule ({@code fn}) inside it; the operation's
     * other inputs get their gradients from {@code fn}.
     */
    static final class CopySlices extends Node {
        private final Geometry geometry;
        private final Node fn;

        CopySlices(Tensor base, Tensor view, Node fn) {
            super(edges(base, fn), shapes(base, fn), dtypes(base, fn));
            this.geometry = new Geometry(base, view);
            this.fn = fn;
        }

        private static Node[] edges(Tensor base, Node fn) {
            Node[] next = Arrays.copyOf(fn.next, fn.next.length);
            next[0] = Node.edgeOf(base);
            return next;
        }

        private static long[][] shapes(Tensor base, Node fn) {
            long[][] s = Arrays.copyOf(fn.inputShapes, fn.inputShapes.length);
            s[0] = base.shape;
            return s;
        }

        private static DType[] dtypes(Tensor base, Node fn) {
            DType[] d = Arrays.copyOf(fn.inputDTypes, fn.inputDTypes.length);
            d[0] = base.dtype();
            return d;
        }

        @Override
        protected Tensor[] backward(Tensor grad) {
            Tensor result = geometry.baseLayout(grad);
            Ops.copyInto(result, grad);
            Tensor window = geometry.viewIn(result);
            Tensor[] res = fn.run(Ops.contiguous(window));
            Tensor[] out = new Tensor[res.length];
            for (int i = 1; i < res.length; i++) {
                out[i] = res[i] == null || fn.next[i] == null ? null : fn.conform(i, res[i]);
            }
            if (res[0] == null) {
                Ops.fill(window, 0L);
            } else {
                Ops.copyInto(window, fn.conform(0, res[0]));
            }
            out[0] = result;
            return out;
        }

        @Override
        void release() {
            super.release();
            fn.release();
        }
    }
}
