package org.plugtorch.cpu.bench;

import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.plugtorch.DType;
import org.plugtorch.Device;
import org.plugtorch.Generator;
import org.plugtorch.GradMode;
import org.plugtorch.Tensor;
import org.plugtorch.nn.CrossEntropyLoss;
import org.plugtorch.nn.Linear;
import org.plugtorch.nn.Module;
import org.plugtorch.nn.Parameter;
import org.plugtorch.nn.ReLU;
import org.plugtorch.nn.Sequential;
import org.plugtorch.optim.SGD;

/**
 * The framework's own cost on the {@code cpu} device (whichever backend serves it, as a user gets it), compared with
 * PyTorch eager running the same code ({@code src/test/python/bench_model.py}, which prints the same three names):
 * <ul>
 * <li>{@code seedForward}: the seed's {@code TestModel} (a {@code Linear(3, 3)} plus two parameters, as the
 * launcher's {@code SeedModels} has it) on {@code x = randn(2, 3)}, grad mode on, so the graph is recorded;</li>
 * <li>{@code seedForwardNoGrad}: the same inside {@code no_grad};</li>
 * <li>{@code mlpStep}: one training step of {@code Sequential(Linear(784, 256), ReLU(), Linear(256, 10))} on a
 * batch of 64 with {@code CrossEntropyLoss} and {@code SGD(lr=0.01)}: {@code zeroGrad()} (gradients set to none,
 * PyTorch's default), forward, loss, backward, step.</li>
 * </ul>
 * Goals (issue 8): {@code seedForward} at most a tenth of PyTorch's; {@code mlpStep} at most PyTorch's time.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(
        value = 1,
        jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED"})
public class ModelBenchmark {
    /** The seed's first program (launcher's {@code SeedModels.TestModel}). */
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

    private TestModel seed;
    private Tensor seedInput;
    private Sequential mlp;
    private SGD optimizer;
    private CrossEntropyLoss loss;
    private Tensor batch;
    private Tensor labels;

    @Setup(Level.Trial)
    public void setUp() {
        Generator.defaultGenerator().manualSeed(0);
        seed = new TestModel();
        seedInput = Tensor.randn(2, 3);
        mlp = new Sequential(new Linear(784, 256), new ReLU(), new Linear(256, 10));
        optimizer = new SGD(mlp.parameters(), 0.01);
        loss = new CrossEntropyLoss();
        Generator g = new Generator(1);
        batch = Tensor.randn(new long[] {64, 784}, DType.FLOAT32, Device.CPU, g);
        long[] y = new long[64];
        for (int i = 0; i < y.length; i++) {
            y[i] = i % 10;
        }
        labels = Tensor.fromArray(y, 64);
    }

    @Benchmark
    public Tensor seedForward() {
        return seed.forward(seedInput);
    }

    @Benchmark
    public Tensor seedForwardNoGrad() {
        try (GradMode ignored = Tensor.noGrad()) {
            return seed.forward(seedInput);
        }
    }

    @Benchmark
    public Tensor mlpStep() {
        optimizer.zeroGrad();
        Tensor l = loss.forward(mlp.forward(batch), labels);
        l.backward();
        optimizer.step();
        return l;
    }
}
