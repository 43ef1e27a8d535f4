package org.plugtorch.io;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
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
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;
import org.plugtorch.Tensor;
import org.plugtorch.nn.Linear;
import org.plugtorch.nn.Module;

/**
 * Many small tensors (issue 12, item 7): a module of {@code parameters} parameters ({@code parameters / 2} children
 * {@code Linear(4, 4)}, named 0, 1, ...) saved as safetensors ({@link Checkpoints#save}, tied groups and the shared
 * memory check included), loaded back into a module from the file ({@link Checkpoints#loadStateDict}) and from a
 * state dict in memory ({@link Module#loadStateDict}), and read as a state dict ({@link Checkpoints#load}). Each was
 * quadratic in the count (all pairs of tensors compared, every child searching all keys); the rows show the
 * per-parameter cost staying flat from 30,000 to 400,000.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(
        value = 1,
        jvmArgsAppend = {"-Xms6g", "-Xmx6g"})
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
public class ManyTensorsBenchmark {
    @Param({"30000", "100000", "400000"})
    public int parameters;

    /** Where the file is made. */
    @Param("")
    public String dir;

    private Module model;
    private Module target;
    private java.util.Map<String, Tensor> stateDict;
    private Path file;

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        org.plugtorch.tck.ReferenceDevices.install();
        Path d = dir.isEmpty() ? Path.of(System.getProperty("java.io.tmpdir"), "plugtorch-bench") : Path.of(dir);
        Files.createDirectories(d);
        file = d.resolve("many-" + parameters + ".safetensors");
        model = model(parameters);
        target = model(parameters);
        stateDict = model.stateDict();
        Checkpoints.save(model, file);
    }

    static Module model(int parameters) {
        Module m = new Module();
        for (int i = 0; i < parameters / 2; i++) {
            m.registerModule(Integer.toString(i), new Linear(4, 4));
        }
        return m;
    }

    @Benchmark
    public void save() throws IOException {
        Checkpoints.save(model, file);
    }

    @Benchmark
    public void loadStateDictFromFile(Blackhole bh) throws IOException {
        bh.consume(Checkpoints.loadStateDict(target, file, LoadOptions.defaults()));
    }

    @Benchmark
    public void loadStateDictFromMap(Blackhole bh) {
        bh.consume(target.loadStateDict(stateDict));
    }

    @Benchmark
    public void load(Blackhole bh) throws IOException {
        bh.consume(Checkpoints.load(file, LoadOptions.defaults()));
    }
}
