package org.plugtorch.cpu.bench;

import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.plugtorch.DType;
import org.plugtorch.Generator;
import org.plugtorch.Tensor;
import org.plugtorch.cpu.CpuBackend;
import org.plugtorch.registry.Backends;

/**
 * Memory-bound CPU kernels through the public Tensor API on 16M-element (64 MiB) float32 tensors, against a plain
 * single-threaded {@link System#arraycopy} of 64 MiB into a preallocated array, in the same run. Compare rates in
 * bytes moved (read + written): arraycopy moves 2 x 64 MiB; add 3 x 64 MiB; mulScalar, addRow, relu and contiguous
 * 2 x 64 MiB; sum and sumDim 64 MiB; castDouble 64 + 128 MiB; castInt 2 x 64 MiB. Results of the Tensor API are
 * fresh tensors (zeroed by the JVM before the kernel writes them), which counts in their time; the {@code InPlace}
 * variants write into an existing tensor and show the kernels alone.
 *
 * <p>The heap is touched once at startup ({@code AlwaysPreTouch}), as a long-running JVM's heap is once it has
 * cycled through it: G1 keeps what it committed. Without it, each fresh 64 MiB result lands on pages never touched
 * before until the heap has been gone through once, and the first touch of memory in this VM runs at about
 * 2.3 GB/s (perf anchors 1.2), far slower under load: a short run then measures page faults rather than kernels.
 * The JVM still zeroes every new array; that write counts in the allocating benchmarks' time.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(
        value = 1,
        jvmArgsAppend = {
            "--add-modules",
            "jdk.incubator.vector",
            "--enable-native-access=ALL-UNNAMED",
            "-Xms2g",
            "-Xmx2g",
            "-XX:+AlwaysPreTouch"
        })
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class BandwidthBenchmark {
    static final int ROWS = 4096;
    static final int COLUMNS = 4096;
    static final int N = ROWS * COLUMNS;

    private float[] source;
    private float[] target;
    private Tensor a;
    private Tensor b;
    private Tensor row;
    private Tensor transposed;
    private Tensor out;

    @Setup
    public void setUp() {
        Backends.register(new CpuBackend());
        Generator g = new Generator(7);
        a = Tensor.rand(new long[] {ROWS, COLUMNS}, DType.FLOAT32, org.plugtorch.Device.CPU, g)
                .sub(0.5);
        b = Tensor.rand(new long[] {ROWS, COLUMNS}, DType.FLOAT32, org.plugtorch.Device.CPU, g);
        row = Tensor.rand(new long[] {COLUMNS}, DType.FLOAT32, org.plugtorch.Device.CPU, g);
        transposed = a.transpose(0, 1);
        out = Tensor.zeros(ROWS, COLUMNS);
        source = a.toFloatArray();
        target = new float[N];
    }

    /** The reference: 64 MiB read and 64 MiB written, one thread, into a preallocated (already touched) array. */
    @Benchmark
    public float[] arraycopy() {
        System.arraycopy(source, 0, target, 0, N);
        return target;
    }

    @Benchmark
    public Tensor add() {
        return a.add(b);
    }

    @Benchmark
    public Tensor addInPlace() {
        return out.add_(b); // grows by under 1 per call: never near overflow
    }

    @Benchmark
    public Tensor mulScalar() {
        return a.mul(1.5);
    }

    /** A broadcast: a [4096] row added to every row. */
    @Benchmark
    public Tensor addRow() {
        return a.add(row);
    }

    @Benchmark
    public Tensor relu() {
        return a.relu();
    }

    @Benchmark
    public Tensor sum() {
        return a.sum();
    }

    /** Over the last dimension: 4096 sums of 4096 contiguous elements. */
    @Benchmark
    public Tensor sumDim() {
        return a.sum(1, false);
    }

    /** The copy of a transposed view: every element read with a stride of 4096. */
    @Benchmark
    public Tensor contiguous() {
        return transposed.contiguous();
    }

    @Benchmark
    public Tensor castDouble() {
        return a.to(DType.FLOAT64);
    }

    @Benchmark
    public Tensor castInt() {
        return a.to(DType.INT32);
    }

    /** The same copy as {@link #arraycopy} through the API, into a fresh tensor: what allocation adds. */
    @Benchmark
    public Tensor cloneTensor() {
        return a.clone();
    }
}
