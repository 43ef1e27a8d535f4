package org.plugtorch.nn;

import org.plugtorch.Tensor;

/** A chain of modules, registered under {@code "0"}, {@code "1"}, ...; {@code forward} feeds each one's output to the next. */
public class Sequential extends ModuleList {

    public Sequential(Module... modules) {
        super(modules);
    }

    @Override
    public Sequential add(Module module) {
        super.add(module);
        return this;
    }

    @Override
    public Tensor forward(Tensor input) {
        Tensor x = input;
        for (Module m : this) {
            x = m.forward(x);
        }
        return x;
    }
}
