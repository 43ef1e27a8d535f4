package org.plugtorch.opencl.bench;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.plugtorch.Device;
import org.plugtorch.Tensor;
import org.plugtorch.registry.Backends;
import org.plugtorch.spi.Backend;

/**
 * Moves through the tensor API, 64 MiB of float32 each (16M elements): {@code toDevice} is a cpu tensor's
 * {@code .to(opencl:0)}, {@code toHost} an opencl:0 tensor's {@code .to(cpu)}, and {@code evacuate} the registry
 * moving {@value #PIECES} tensors that total 64 MiB off opencl:0 when its backend is unregistered (what happens when
 * the bundle stops). The baseline is {@code arraycopy}, {@link System#arraycopy} of the same 64 MiB into an existing
 * array, measured in the same run; {@code arrayClone} (a new array plus the copy, which a move to the host also needs)
 * is there to show what allocating the destination costs.
 *
 * <p>Each invocation starts from a collected heap: device memory is freed when the collector finds a tensor
 * unreachable, and nothing else here would make it run, so without this the arena would fill up with dead tensors;
 * and a collection left over from the previous invocation is not the move's cost. The heap is fixed and touched at
 * start ({@code -Xms = -Xmx}, {@code AlwaysPreTouch}) so that a collection does not hand memory back to the OS for the
 * next allocation to fault in again, which the baseline's existing destination array never pays.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(
        value = 2,
        jvmArgsAppend = {"-Xms6g", "-Xmx6g", "-XX:+AlwaysPreTouch", "--enable-native-access=ALL-UNNAMED"})
public class MoveBenchmark {
    static final int N = 1 << 24;
    static final int PIECES = 16;
    private static final Device OPENCL = Device.parse(BenchDevices.OPENCL);

    private Backend opencl;
    private float[] data;
    private float[] other;
    private Tensor onHost;
    private Tensor onDevice;

    @Setup(Level.Trial)
    public void setUp() {
        opencl = Backends.forDevice(OPENCL);
        if (opencl.unavailableReason() != null) {
            throw new IllegalStateException("cannot benchmark " + OPENCL + ": " + opencl.unavailableReason());
        }
        data = BenchDevices.randomFloats(N, 11);
        other = new float[N];
        onHost = Tensor.fromArray(data, N);
        onDevice = onHost.to(OPENCL);
    }

    /** Puts the backend back if an evacuation removed it, and collects. */
    @Setup(Level.Invocation)
    public void beforeEach() {
        if (!Backends.all().contains(opencl)) {
            Backends.register(opencl);
        }
        System.gc();
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        if (!Backends.all().contains(opencl)) {
            Backends.register(opencl);
        }
    }

    @Benchmark
    public float[] arraycopy() {
        System.arraycopy(data, 0, other, 0, N);
        return other;
    }

    @Benchmark
    public float[] arrayClone() {
        return Arrays.copyOf(data, N);
    }

    @Benchmark
    public Tensor toDevice() {
        return onHost.to(OPENCL);
    }

    @Benchmark
    public Tensor toHost() {
        return onDevice.to(Device.CPU);
    }

    /** Evacuation needs fresh pieces on the device before every invocation, which the other benchmarks do not. */
    @State(Scope.Thread)
    public static class Pieces {
        List<Tensor> tensors;

        @Setup(Level.Invocation)
        public void fill(MoveBenchmark b) {
            if (!Backends.all().contains(b.opencl)) {
                Backends.register(b.opencl);
            }
            tensors = new ArrayList<>(PIECES);
            int n = N / PIECES;
            for (int i = 0; i < PIECES; i++) {
                tensors.add(Tensor.fromArray(Arrays.copyOfRange(b.data, i * n, (i + 1) * n), n)
                        .to(OPENCL));
            }
            System.gc();
        }
    }

    @Benchmark
    public List<Tensor> evacuate(Pieces pieces) {
        Backends.unregister(opencl, "MoveBenchmark.evacuate");
        for (Tensor t : pieces.tensors) {
            if (!t.device().isCpu()) {
                throw new IllegalStateException("evacuation left " + t + " on " + t.device());
            }
        }
        return pieces.tensors;
    }
}
