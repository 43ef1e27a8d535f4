package org.plugtorch.nn;

import org.plugtorch.Generator;
import org.plugtorch.Tensor;
import org.plugtorch.internal.runtime.PyRepr;

/**
 * In training, zeroes each element with probability {@code p} and scales the others by {@code 1 / (1 - p)}; in
 * evaluation, returns its input. The mask is drawn from the default {@link Generator} (or the one given), as
 * PyTorch draws it on the CPU, so a seed gives PyTorch's mask.
 */
public class Dropout extends Module {
    public final double p;
    private final Generator generator;

    /** {@code Dropout(p=0.5)}. */
    public Dropout() {
        this(0.5);
    }

    public Dropout(double p) {
        this(p, null);
    }

    /** A dropout that draws its masks from {@code generator} (the default generator when null). */
    public Dropout(double p, Generator generator) {
        Functional.checkProbability(p);
        this.p = p;
        this.generator = generator;
    }

    @Override
    public Tensor forward(Tensor input) {
        return Functional.dropout(input, p, isTraining(), generator);
    }

    @Override
    public String extraRepr() {
        return "p=" + PyRepr.ofDouble(p) + ", inplace=False";
    }
}
