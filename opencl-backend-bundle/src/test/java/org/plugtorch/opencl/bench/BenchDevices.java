package org.plugtorch.opencl.bench;

import java.nio.FloatBuffer;
import java.util.SplittableRandom;
import org.plugtorch.DType;
import org.plugtorch.Device;
import org.plugtorch.cpu.CpuBackend;
import org.plugtorch.opencl.OpenClBackend;
import org.plugtorch.spi.Backend;
import org.plugtorch.spi.DeviceBuffer;

/** The two backends a benchmark compares, started fresh in each fork, and seeded float32 data on them. */
final class BenchDevices {
    static final String CPU = "cpu";
    static final String OPENCL = "opencl:0";

    private BenchDevices() {}

    /** A started backend for {@code device}; an unavailable OpenCL backend is an error, never a silent CPU run. */
    static Backend start(String device) {
        if (device.equals(CPU)) {
            return new CpuBackend();
        }
        OpenClBackend b = new OpenClBackend();
        if (b.unavailableReason() != null) {
            throw new IllegalStateException("cannot benchmark " + device + ": " + b.unavailableReason());
        }
        return b;
    }

    static void stop(Backend b) {
        if (b instanceof OpenClBackend) {
            ((OpenClBackend) b).close();
        }
    }

    /** {@code n} seeded float32 values in [-1, 1) on the backend's device. */
    static DeviceBuffer random(Backend backend, String device, int n, long seed) {
        DeviceBuffer buffer = backend.allocate(Device.parse(device), DType.FLOAT32, n);
        backend.copyIn(buffer, 0, FloatBuffer.wrap(randomFloats(n, seed)));
        return buffer;
    }

    static float[] randomFloats(int n, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) (r.nextDouble() * 2 - 1);
        }
        return v;
    }
}
