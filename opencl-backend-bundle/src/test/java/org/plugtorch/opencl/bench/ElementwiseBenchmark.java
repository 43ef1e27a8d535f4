package org.plugtorch.opencl.bench;

import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.plugtorch.DType;
import org.plugtorch.Device;
import org.plugtorch.spi.Backend;
import org.plugtorch.spi.BinaryOp;
import org.plugtorch.spi.Operand;

/** {@code c = a + b} over 16M contiguous float32 elements, on preallocated buffers. */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class ElementwiseBenchmark {
    static final int N = 1 << 24;

    @Param({BenchDevices.CPU, BenchDevices.OPENCL})
    public String device;

    private Backend backend;
    private Operand a;
    private Operand b;
    private Operand c;

    @Setup(Level.Trial)
    public void setUp() {
        backend = BenchDevices.start(device);
        a = Operand.contiguous(BenchDevices.random(backend, device, N, 3), N);
        b = Operand.contiguous(BenchDevices.random(backend, device, N, 4), N);
        c = Operand.contiguous(backend.allocate(Device.parse(device), DType.FLOAT32, N), N);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        BenchDevices.stop(backend);
    }

    @Benchmark
    public Operand add() {
        backend.binary(BinaryOp.ADD, c, a, b);
        return c;
    }
}
