package org.plugtorch.launcher;

import org.plugtorch.Tensor;
import org.plugtorch.nn.Linear;
import org.plugtorch.nn.Module;
import org.plugtorch.nn.Parameter;

/** The seed's two programs, in Java. */
final class SeedModels {
    private SeedModels() {}

    /** The first program: a child layer, a parameter declared as a member, and one registered by name. */
    static final class TestModel extends Module {
        final Linear linear;
        final Parameter parameter1;

        TestModel() {
            linear = module("linear", new Linear(3, 3));
            parameter1 = parameter("parameter1", Tensor.randn(3));
            registerParameter("parameter2", new Parameter(Tensor.randn(3)));
        }

        @Override
        public Tensor forward(Tensor x) {
            return linear.forward(x).add(parameter1).add(getParameter("parameter2"));
        }
    }

    /**
     * The second program, corrected: the seed's version uses {@code self.parameter1} without defining it. Beside the
     * seed's plain tensor and registered buffer it has a non-persistent buffer, the third kind the table mentions.
     */
    static final class BufferModel extends Module {
        final Parameter parameter1;
        /** A plain field: not registered, so not saved and not moved. */
        final Tensor buffer1;

        final Tensor buffer2;
        final Tensor buffer3;

        BufferModel() {
            parameter1 = parameter("parameter1", Tensor.randn(3));
            buffer1 = Tensor.randn(3);
            buffer2 = buffer("buffer2", Tensor.randn(3));
            buffer3 = buffer("buffer3", Tensor.randn(3), false);
        }

        @Override
        public Tensor forward(Tensor x) {
            return x.add(parameter1).add(buffer1).add(buffer2);
        }
    }
}
