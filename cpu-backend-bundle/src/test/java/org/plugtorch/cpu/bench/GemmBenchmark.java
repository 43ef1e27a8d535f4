package org.plugtorch.cpu.bench;

import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.plugtorch.DType;
import org.plugtorch.Device;
import org.plugtorch.Generator;
import org.plugtorch.Tensor;
import org.plugtorch.cpu.CpuBackend;
import org.plugtorch.registry.Backends;

/**
 * float32 {@code a.matmul(b)} on {@code cpu} tensors through the public API, on the backend's 2 threads, as
 * PyTorch's {@code torch.matmul(a, b)} sees the same operands (transposes are views, not copies):
 * <ul>
 * <li>{@code 256}, {@code 1024}, {@code 2048}: square {@code [n, n] @ [n, n]}, {@code 2 n^3} FLOP;</li>
 * <li>{@code mlp_fwd}: a linear layer's forward {@code x[64, 784] @ W[256, 784].t()}, {@code 2*64*784*256} FLOP;</li>
 * <li>{@code mlp_dw}: its weight gradient {@code dY[64, 256].t() @ x[64, 784]} (a transposed left operand),
 * {@code 2*256*64*784} FLOP;</li>
 * <li>{@code mlp_dx}: its input gradient {@code dY[64, 256] @ W[256, 784]}, {@code 2*64*256*784} FLOP.</li>
 * </ul>
 * GFLOP/s = FLOP / (µs per call) / 1000; {@link #flop(String)} gives the FLOP. {@code path} forces the GEMM path
 * (a fresh backend with the higher ranking serves {@code cpu} in each fork, and the setup fails when the vector path
 * is asked for and the JVM lacks it). The result is allocated per call, as in PyTorch.
 * Compare with PyTorch's {@code torch.matmul} of the same operands, and with {@link PeakBenchmark} for the fraction
 * of peak.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(
        value = 1,
        jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED"})
public class GemmBenchmark {
    /** The backend's thread count: the machine's 2 cores, as PyTorch with OpenBLAS uses them ({@code -p threads=1}). */
    @Param("2")
    public int threads;

    @Param({"256", "1024", "2048", "mlp_fwd", "mlp_dw", "mlp_dx"})
    public String shape;

    @Param({"vector", "scalar"})
    public String path;

    private CpuBackend backend;
    private Tensor a;
    private Tensor b;

    @Setup(Level.Trial)
    public void setUp() {
        backend = new CpuBackend(threads, path);
        Backends.register(backend, Integer.MAX_VALUE, "GemmBenchmark's cpu backend, gemm path " + path);
        if (Backends.forDevice(Device.CPU) != backend) {
            throw new IllegalStateException("the benchmark's backend does not serve cpu: " + Backends.all());
        }
        if (backend.vectorGemm() != path.equals("vector")) {
            throw new IllegalStateException("asked for the " + path + " path, got "
                    + backend.devices().get(0).name());
        }
        Generator g = new Generator(42);
        switch (shape) {
            case "mlp_fwd":
                a = randn(g, 64, 784);
                b = randn(g, 256, 784).t();
                break;
            case "mlp_dw":
                a = randn(g, 64, 256).t();
                b = randn(g, 64, 784);
                break;
            case "mlp_dx":
                a = randn(g, 64, 256);
                b = randn(g, 256, 784);
                break;
            default:
                int n = Integer.parseInt(shape);
                a = randn(g, n, n);
                b = randn(g, n, n);
        }
    }

    private static Tensor randn(Generator g, long... shape) {
        return Tensor.randn(shape, DType.FLOAT32, Device.CPU, g);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        Backends.unregister(backend);
    }

    @Benchmark
    public Tensor matmul() {
        return a.matmul(b);
    }

    /** Floating-point operations of one call for a {@code shape} value: 2 per multiply-add. */
    public static long flop(String shape) {
        switch (shape) {
            case "mlp_fwd":
            case "mlp_dw":
            case "mlp_dx":
                return 2L * 64 * 784 * 256;
            default:
                long n = Long.parseLong(shape);
                return 2 * n * n * n;
        }
    }
}
