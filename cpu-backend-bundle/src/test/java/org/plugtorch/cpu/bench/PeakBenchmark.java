package org.plugtorch.cpu.bench;

import java.util.concurrent.TimeUnit;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The machine's float32 FMA peak, measured in the same run as {@link GemmBenchmark}: each of 2 threads (the GEMM's
 * thread count) runs 12 independent 256-bit FMA chains, enough to cover the FMA latency on AVX2 machines. One
 * operation is one FLOP ({@link OperationsPerInvocation} counts them), so the score in ns/op is the inverse of the
 * per-thread rate: GFLOP/s on 2 threads = 2 / score. On a CPU whose preferred vectors are wider than 256 bits this is
 * the 256-bit peak, not the machine's.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Threads(2)
@Fork(
        value = 1,
        jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED"})
public class PeakBenchmark {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_256;
    private static final int STEPS = 4096;
    /** 12 chains x 8 lanes x 2 FLOP per step. */
    private static final int FLOP = STEPS * 12 * 8 * 2;

    private float x;
    private float y;

    @Setup
    public void setUp() {
        x = 0.999f;
        y = 1e-6f;
    }

    @Benchmark
    @OperationsPerInvocation(FLOP)
    public float fma() {
        FloatVector m = FloatVector.broadcast(S, x);
        FloatVector d = FloatVector.broadcast(S, y);
        FloatVector a0 = FloatVector.broadcast(S, 1f);
        FloatVector a1 = a0, a2 = a0, a3 = a0, a4 = a0, a5 = a0, a6 = a0, a7 = a0, a8 = a0, a9 = a0, a10 = a0;
        FloatVector a11 = a0;
        for (int i = 0; i < STEPS; i++) {
            a0 = a0.fma(m, d);
            a1 = a1.fma(m, d);
            a2 = a2.fma(m, d);
            a3 = a3.fma(m, d);
            a4 = a4.fma(m, d);
            a5 = a5.fma(m, d);
            a6 = a6.fma(m, d);
            a7 = a7.fma(m, d);
            a8 = a8.fma(m, d);
            a9 = a9.fma(m, d);
            a10 = a10.fma(m, d);
            a11 = a11.fma(m, d);
        }
        return a0.add(a1)
                .add(a2)
                .add(a3)
                .add(a4)
                .add(a5)
                .add(a6)
                .add(a7)
                .add(a8)
                .add(a9)
                .add(a10)
                .add(a11)
                .reduceLanes(jdk.incubator.vector.VectorOperators.ADD);
    }
}
