package org.plugtorch.io;

import org.plugtorch.DType;
import org.plugtorch.Device;
import org.plugtorch.Tensor;
import org.plugtorch.nn.Linear;
import org.plugtorch.nn.Module;
import org.plugtorch.nn.Parameter;
import org.plugtorch.nn.ReLU;
import org.plugtorch.nn.Sequential;

/** Java twins of the PyTorch modules in make_fixtures.py: the same keys, shapes and dtypes. */
final class CheckpointModels {
    private CheckpointModels() {}

    /** The seed's first program: {@code linear} registered first, then two parameters. */
    static final class SeedModel extends Module {
        final Linear linear;
        final Parameter parameter1;

        SeedModel() {
            linear = module("linear", new Linear(3, 3));
            parameter1 = parameter("parameter1", Tensor.randn(3));
            registerParameter("parameter2", new Parameter(Tensor.randn(3)));
        }
    }

    /** BatchNorm1d's state: two parameters and three buffers, {@code num_batches_tracked} an int64 scalar. */
    static final class BatchNormState extends Module {
        BatchNormState(int features) {
            parameter("weight", Tensor.ones(features));
            parameter("bias", Tensor.zeros(features));
            buffer("running_mean", Tensor.zeros(features));
            buffer("running_var", Tensor.ones(features));
            buffer("num_batches_tracked", Tensor.scalar(0L));
        }
    }

    /** {@code Sequential(Linear(4, 8), BatchNorm1d(8), ReLU(), Linear(8, 2))}. */
    static Sequential mlp() {
        return new Sequential(new Linear(4, 8), new BatchNormState(8), new ReLU(), new Linear(8, 2));
    }

    /** Two Linear layers whose weights are one parameter (tied), as in make_fixtures.py. */
    static final class Tied extends Module {
        final Linear emb;
        final Linear head;

        Tied() {
            this(Device.CPU);
        }

        Tied(Device device) {
            emb = module("emb", new Linear(3, 3, true, DType.FLOAT32, device));
            head = module("head", new Linear(3, 3, true, DType.FLOAT32, device));
            head.registerParameter("weight", emb.weight);
        }
    }
}
