package org.plugtorch.internal.autograd;

import static org.plugtorch.internal.runtime.Tensors.impl;
import static org.plugtorch.spi.Preconditions.checkArgument;

import org.plugtorch.Node;
import org.plugtorch.Tensor;
import org.plugtorch.internal.runtime.AutogradMeta;
import org.plugtorch.internal.runtime.Ops;
import org.plugtorch.internal.runtime.TensorImpl;
import org.plugtorch.internal.runtime.Tensors;

/**
 * Autograd for views whose base changed in place (PyTorch's view tracking): an in-place operation on a view gives
 * the base a {@link CopySlices} history, and a view whose base has a newer version than its history regenerates
 * that history as {@link AsStridedBackward0}, so its gradient reaches the base's current history instead of a stale
 * one.
 */
final class ViewAutograd {
    private ViewAutograd() {}

    /** Where a view sits in its base: shapes, strides and the offset relative to the base's. */
    static final class Geometry {
        final long[] baseShape;
        final long[] baseStrides;
        final long[] viewShape;
        final long[] viewStrides;
        final long viewOffset;

        Geometry(Tensor base, Tensor view) {
            TensorImpl b = impl(base);
            TensorImpl v = impl(view);
            this.baseShape = b.shape;
            this.baseStrides = b.strides;
            this.viewShape = v.shape;
            this.viewStrides = v.strides;
            this.viewOffset = v.offset - b.offset;
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
            Tensor flat = Ops.fullLike(new long[] {extent}, 0, like);
            return Tensors.create(impl(flat).storage, 0, baseShape, baseStrides);
        }

        /** The view's place inside a tensor made by {@link #baseLayout}, with {@code shape} (the view's, or narrower). */
        Tensor viewIn(Tensor baseLayout, long[] shape) {
            return Tensors.create(impl(baseLayout).storage, viewOffset, shape, viewStrides);
        }
    }

    /** Regenerates the history of a view whose base changed since the view's history was recorded. */
    static void refresh(Tensor view, TensorImpl v) {
        Tensor base = v.base;
        int version = v.storage.version;
        AutogradMeta m = v.autograd;
        if ((m != null && m.noGradView) || impl(base).storage != v.storage || !base.requiresGrad()) {
            v.viewVersion = version;
            return;
        }
        v.autogradForWrite().gradFn = new AsStridedBackward0(base, view);
        v.viewVersion = version;
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
            Ops.copyInto(geometry.viewIn(out, shape), g);
            return new Tensor[] {out};
        }
    }

    /**
     * The history of a base after an in-place operation on one of its views: the base's gradient passes through
     * unchanged outside the view, and through the operation's own rule ({@code fn}) inside it; the operation's
     * other input gets its gradient from {@code fn}.
     */
    static final class CopySlices extends Node {
        private final Geometry geometry;
        private final Node fn;

        /** {@code other}: the in-place operation's second input, or null when it had one input. */
        CopySlices(Tensor base, Tensor view, Node fn, Tensor other) {
            super(other == null ? new Tensor[] {base} : new Tensor[] {base, other});
            checkArgument(
                    fn.nextFunctions().size() == nextFunctions().size(),
                    () -> "CopySlices wraps " + fn.name() + ", which has "
                            + fn.nextFunctions().size() + " inputs, with "
                            + nextFunctions().size());
            this.geometry = new Geometry(base, view);
            this.fn = fn;
        }

        @Override
        protected Tensor[] backward(Tensor grad) {
            Tensor result = geometry.baseLayout(grad);
            Ops.copyInto(result, grad);
            Tensor window = geometry.viewIn(result, geometry.viewShape);
            Tensor[] res = fn.apply(Ops.contiguous(window));
            Tensor[] out = new Tensor[res.length];
            System.arraycopy(res, 1, out, 1, res.length - 1);
            if (res[0] == null) {
                Ops.fill(window, 0L);
            } else {
                Ops.copyInto(window, res[0]);
            }
            out[0] = result;
            return out;
        }

        @Override
        public void releaseVariables() {
            super.releaseVariables();
            fn.releaseVariables();
        }
    }
}
