package org.plugtorch.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;
import org.plugtorch.Tensor;

/**
 * Loading a ~200 MB float32 safetensors file (24 weight matrices of 2048 x 1024 and their biases, like a model's
 * state dict) into cpu tensors, against reading the same bytes with a plain FileChannel read, in the same run. Both
 * read from the page cache after the first iteration, so the ratio is the loader's own cost. Run by
 * {@code fixtures/checkpoints/bench_checkpoint_load.sh}, which also times torch.load of the same state dict.
 *
 * <p>The heap is touched at startup ({@code AlwaysPreTouch}): the steady state of a JVM that has been running a
 * while, and the same memory state as the plain read's buffer, allocated once. The first touch of fresh memory runs
 * at about 2.3 GB/s in this VM (perf anchors 1.2): without it, the first loads of a fork would measure page faults.
 * The JVM still zeroes each new tensor's array, which counts in the load's time.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(
        value = 3,
        jvmArgsAppend = {"-Xms3g", "-Xmx3g", "-XX:+AlwaysPreTouch"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 3)
public class SafetensorsLoadBenchmark {
    static final int LAYERS = 24;
    static final int ROWS = 2048;
    static final int COLUMNS = 1024;

    /** Where the file is made (once; later runs reuse it). */
    @Param("")
    public String dir;

    private Path file;
    private ByteBuffer plain;

    @Setup
    public void setUp() throws IOException {
        Path d = dir.isEmpty() ? Path.of(System.getProperty("java.io.tmpdir"), "plugtorch-bench") : Path.of(dir);
        Files.createDirectories(d);
        file = d.resolve("bench.safetensors");
        if (!Files.exists(file)) {
            Checkpoints.saveSafetensors(stateDict(), Map.of("format", "pt"), file);
        }
        plain = ByteBuffer.allocateDirect((int) Files.size(file));
    }

    /** Deterministic values (a linear congruential sequence), so every run reads the same file. */
    static Map<String, Tensor> stateDict() {
        Map<String, Tensor> sd = new LinkedHashMap<>();
        long state = 42;
        for (int layer = 0; layer < LAYERS; layer++) {
            float[] w = new float[ROWS * COLUMNS];
            for (int i = 0; i < w.length; i++) {
                state = state * 6364136223846793005L + 1442695040888963407L;
                w[i] = (state >>> 40) / (float) (1 << 24) - 0.5f;
            }
            sd.put("layers." + layer + ".weight", Tensor.fromArray(w, ROWS, COLUMNS));
            sd.put("layers." + layer + ".bias", Tensor.zeros(ROWS));
        }
        return sd;
    }

    /**
     * The baseline: the file's bytes into a direct buffer allocated (and touched) once, nothing else: one copy by
     * the kernel, the fastest plain read Java has (a heap buffer is read through a temporary direct one, two copies).
     */
    @Benchmark
    public void plainRead(Blackhole bh) throws IOException {
        plain.clear();
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            while (plain.hasRemaining() && ch.read(plain) >= 0) {
                // read to the end
            }
        }
        bh.consume(plain.get(plain.position() - 1));
    }

    /**
     * The loader without the tensors, on one thread: open, validate, map and decode every tensor into a new float[],
     * the copies {@link #safetensorsLoad} makes with Tensor.fromBuffer (on the common pool's threads too).
     */
    @Benchmark
    public void safetensorsDecodeOnly(Blackhole bh) throws IOException {
        try (Checkpoint c = Checkpoints.open(file)) {
            for (TensorEntry e : c.entries()) {
                float[] values = new float[(int) e.numel()];
                for (long first = 0; first < values.length; first += TensorTransfer.CHUNK) {
                    int count = (int) Math.min(TensorTransfer.CHUNK, values.length - first);
                    e.stored().decode(first, count, values, (int) first);
                }
                bh.consume(values);
            }
        }
    }

    /** Open, validate, map, and make every tensor a cpu tensor. */
    @Benchmark
    public void safetensorsLoad(Blackhole bh) throws IOException {
        bh.consume(Checkpoints.load(file, LoadOptions.defaults()));
    }
}
