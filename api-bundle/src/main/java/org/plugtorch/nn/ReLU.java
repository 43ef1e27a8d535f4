package org.plugtorch.nn;

import org.plugtorch.Tensor;

/** {@code max(x, 0)} element-wise. */
public class ReLU extends Module {
    @Override
    public Tensor forward(Tensor input) {
        return input.relu();
    }
}
