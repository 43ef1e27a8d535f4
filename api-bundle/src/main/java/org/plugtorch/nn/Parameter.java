package org.plugtorch.nn;

import static org.plugtorch.spi.Preconditions.checkArgument;

import org.plugtorch.Tensor;

/**
 * A tensor that is a module's trainable state: registered with {@link Module#registerParameter}, it is listed by
 * {@code parameters()}, saved by {@code stateDict()} and moved by {@code to()}. It shares storage with the tensor it
 * was made from, as {@code torch.nn.Parameter(data)} does, and requires grad unless told otherwise. A Parameter
 * with {@code requiresGrad == false} is still a parameter: listed, saved and moved, only not trained.
 */
public class Parameter extends Tensor {

    /** A parameter over {@code data}'s storage that requires grad. */
    public Parameter(Tensor data) {
        this(data, true);
    }

    /**
     * A parameter over {@code data}'s storage.
     *
     * @throws IllegalArgumentException when {@code requiresGrad} is asked of an integer or bool tensor
     */
    public Parameter(Tensor data, boolean requiresGrad) {
        super(checked(data, requiresGrad), false);
        requiresGrad_(requiresGrad);
    }

    private static Tensor checked(Tensor data, boolean requiresGrad) {
        checkArgument(data != null, "Parameter data must be a Tensor, got null");
        checkArgument(
                !requiresGrad || data.isFloatingPoint(),
                "Only Tensors of floating point and complex dtype can require gradients");
        return data;
    }

    /** PyTorch's {@code Parameter containing:} line, then the tensor. */
    @Override
    public String toString() {
        return "Parameter containing:\n" + super.toString();
    }
}
