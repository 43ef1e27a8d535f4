package org.plugtorch.internal.autograd;

import static org.plugtorch.internal.runtime.Tensors.impl;

import org.plugtorch.Device;
import org.plugtorch.Tensor;
import org.plugtorch.internal.runtime.Ops;
import org.plugtorch.spi.ReduceOp;

/** Shape work shared by the backward rules: reducing a broadcast gradient, restoring reduced dimensions. */
public final class Gradients {
    private Gradients() {}

    /**
     * PyTorch's {@code sum_to}: sums {@code g} over its leading dimensions and over the dimensions where
     * {@code shape} has size 1, so that it has {@code shape}. {@code shape} must broadcast to g's shape.
     */
    public static Tensor sumTo(Tensor g, long[] shape) {
        int lead = g.dim() - shape.length;
        int count = lead;
        for (int i = 0; i < shape.length; i++) {
            count += shape[i] == 1 && impl(g).shape[lead + i] != 1 ? 1 : 0;
        }
        if (count == 0) {
            return g;
        }
        int[] dims = new int[count];
        int k = 0;
        for (int i = 0; i < lead; i++) {
            dims[k++] = i;
        }
        for (int i = 0; i < shape.length; i++) {
            if (shape[i] == 1 && impl(g).shape[lead + i] != 1) {
                dims[k++] = lead + i;
            }
        }
        return Ops.reduce(ReduceOp.SUM, g, dims, true, g.dtype()).reshape(shape);
    }

    /**
     * The gradient of a reduction's result, viewed with the reduced dimensions restored as size 1 (PyTorch's
     * {@code restore_reduced_dims}), ready to broadcast against the input.
     */
    public static Tensor restoreReducedDims(Tensor g, long[] inputShape, int[] dims, boolean keepdim) {
        if (keepdim) {
            return g;
        }
        boolean[] reduced = Ops.reducedMask(dims, inputShape.length);
        long[] shape = inputShape.clone();
        for (int i = 0; i < shape.length; i++) {
            if (reduced[i]) {
                shape[i] = 1;
            }
        }
        return g.reshape(shape);
    }

    /** The number of elements a reduction over {@code dims} combines into each result. */
    public static long reducedCount(long[] shape, int[] dims) {
        boolean[] reduced = Ops.reducedMask(dims, shape.length);
        long n = 1;
        for (int i = 0; i < reduced.length; i++) {
            n *= reduced[i] ? shape[i] : 1;
        }
        return n;
    }

    /** Zeros of {@code shape} with {@code like}'s dtype and device (read under the gate, with the allocation). */
    public static Tensor zeros(long[] shape, Tensor like) {
        return Ops.fullLike(shape, 0, like);
    }

    /** Zeros shaped, typed and placed as {@code like}. */
    public static Tensor zerosOf(Tensor like) {
        return Ops.fullLike(impl(like).shape, 0, like);
    }

    /** A zero-dimensional zero of {@code like}'s dtype, on the CPU: it joins operations on any device. */
    public static Tensor zero(Tensor like) {
        return Ops.empty(new long[0], like.dtype(), Device.CPU);
    }
}
