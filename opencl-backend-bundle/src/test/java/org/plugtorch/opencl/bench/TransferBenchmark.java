package org.plugtorch.opencl.bench;

import java.nio.FloatBuffer;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.plugtorch.DType;
import org.plugtorch.Device;
import org.plugtorch.opencl.OpenClBackend;
import org.plugtorch.spi.DeviceBuffer;

/**
 * Moving 16M float32 elements (64 MiB) between a Java array and opencl:0, each way, against the plain Java array copy
 * of the same size that it is measured against ({@link System#arraycopy}).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class TransferBenchmark {
    static final int N = 1 << 24;

    private OpenClBackend opencl;
    private DeviceBuffer onDevice;
    private float[] host;
    private float[] other;

    @Setup(Level.Trial)
    public void setUp() {
        opencl = (OpenClBackend) BenchDevices.start(BenchDevices.OPENCL);
        host = BenchDevices.randomFloats(N, 5);
        other = new float[N];
        onDevice = opencl.allocate(Device.parse(BenchDevices.OPENCL), DType.FLOAT32, N);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        opencl.close();
    }

    @Benchmark
    public float[] arraycopy() {
        System.arraycopy(host, 0, other, 0, N);
        return other;
    }

    @Benchmark
    public DeviceBuffer hostToDevice() {
        opencl.copyIn(onDevice, 0, FloatBuffer.wrap(host));
        return onDevice;
    }

    @Benchmark
    public float[] deviceToHost() {
        opencl.copyOut(onDevice, 0, FloatBuffer.wrap(other));
        return other;
    }
}
