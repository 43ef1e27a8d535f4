package org.plugtorch;

import org.plugtorch.internal.runtime.Shapes;

/** One tensor that an evacuation moved: the same object, now on {@link #to()}. */
public final class TensorMove {
    private final Tensor tensor;
    private final Device from;
    private final Device to;

    public TensorMove(Tensor tensor, Device from, Device to) {
        this.tensor = tensor;
        this.from = from;
        this.to = to;
    }

    /** The tensor object that moved (every view of a moved storage is listed). */
    public Tensor tensor() {
        return tensor;
    }

    public Device from() {
        return from;
    }

    public Device to() {
        return to;
    }

    @Override
    public String toString() {
        return "tensor " + Shapes.list(tensor.shape()) + " " + tensor.dtype().torchName() + ": " + from + " -> " + to;
    }
}
