package org.plugtorch;

import java.util.Arrays;

/** Prints tensors as PyTorch does. */
final class TensorFormatter {
    private TensorFormatter() {
    }

    static String format(Tensor t) {
        return "tensor(" + Arrays.toString(t.toDoubleArray()) + ")";
    }
}
