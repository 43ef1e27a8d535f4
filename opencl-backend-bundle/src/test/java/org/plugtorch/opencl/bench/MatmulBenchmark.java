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
import org.plugtorch.spi.DeviceBuffer;
import org.plugtorch.spi.Operand;

/**
 * float32 {@code [n, n] @ [n, n]} through the SPI's matmul on preallocated buffers: the kernel, without the
 * runtime's allocation of a result (which would measure the allocator and the garbage collector too).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class MatmulBenchmark {
    @Param({"256", "1024"})
    public int n;

    @Param({BenchDevices.CPU, BenchDevices.OPENCL})
    public String device;

    private Backend backend;
    private Operand a;
    private Operand b;
    private Operand c;

    @Setup(Level.Trial)
    public void setUp() {
        backend = BenchDevices.start(device);
        a = Operand.contiguous(BenchDevices.random(backend, device, n * n, 1), 1, n, n);
        b = Operand.contiguous(BenchDevices.random(backend, device, n * n, 2), 1, n, n);
        DeviceBuffer out = backend.allocate(Device.parse(device), DType.FLOAT32, (long) n * n);
        c = Operand.contiguous(out, 1, n, n);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        BenchDevices.stop(backend);
    }

    @Benchmark
    public Operand matmul() {
        backend.matmul(c, a, b);
        return c;
    }
}
