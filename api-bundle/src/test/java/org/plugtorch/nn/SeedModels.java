package org.plugtorch.nn;

import org.plugtorch.Tensor;

/** The seed's two programs, as Java modules, for the contract tests. */
final class SeedModels {
    private SeedModels() {}

    /** The seed's first program: a child registered first, a declared parameter and a registered one. */
    static final class TestModel extends Module {
        final Linear linear;
        final Parameter parameter1;

        TestModel() {
            this.linear = module("linear", new Linear(3, 3));
            this.parameter1 = parameter("parameter1", Tensor.randn(3));
            registerParameter("parameter2", new Parameter(Tensor.randn(3)));
        }

        @Override
        public Tensor forward(Tensor x) {
            return linear.forward(x).add(parameter1).add(getParameter("parameter2"));
        }
    }

    /** The seed's second program, corrected: it defines the parameter its forward uses. */
    static final class BufferModel extends Module {
        final Parameter parameter1;
        /** A plain tensor field: not registered, so not saved and not moved. */
        final Tensor buffer1;

        final Tensor buffer2;

        BufferModel() {
            this.parameter1 = parameter("parameter1", Tensor.randn(3));
            this.buffer1 = Tensor.randn(3);
            this.buffer2 = buffer("buffer2", Tensor.randn(3));
        }

        @Override
        public Tensor forward(Tensor x) {
            return x.add(parameter1).add(buffer1).add(buffer2);
        }
    }
}
