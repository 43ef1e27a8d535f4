package org.plugtorch.opencl;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.FloatBuffer;
import java.util.Arrays;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.plugtorch.DType;
import org.plugtorch.Device;
import org.plugtorch.spi.DeviceBuffer;
import org.plugtorch.spi.Operand;

/**
 * The transfer path a device without shared host memory (a GPU) takes, forced on a backend of its own: transfers go
 * through stage arrays and launches, reused ranges are zeroed by a launch, and the results are the same.
 */
class StagedTransferTest {
    private static final Device OPENCL_0 = SharedOpenCl.OPENCL_0;
    private static OpenClBackend backend;

    @BeforeAll
    static void start() {
        SharedOpenCl.available();
        System.setProperty(ClDevice.FORCE_STAGED, "true");
        try {
            backend = new OpenClBackend();
        } finally {
            System.clearProperty(ClDevice.FORCE_STAGED);
        }
    }

    @AfterAll
    static void stop() {
        if (backend != null) {
            backend.close();
        }
    }

    @Test
    void theDeviceSaysItsTransfersAreStaged() {
        String path = backend.devices().get(0).properties().get("transfers");
        assertTrue(path.startsWith("staged") && path.contains(ClDevice.FORCE_STAGED), path);
    }

    @Test
    void stagedTransfersZeroingAndGrowthKeepEveryValue() {
        float[] data = new float[5000];
        for (int i = 0; i < data.length; i++) {
            data[i] = (float) Math.sin(i);
        }
        DeviceBuffer a = backend.allocate(OPENCL_0, DType.FLOAT32, data.length);
        TransferStats before = backend.transferStats(OPENCL_0);
        backend.copyIn(a, 0, FloatBuffer.wrap(data));
        assertTrue(backend.transferStats(OPENCL_0).since(before).launches >= 1, "a staged copyIn is a launch");

        DeviceBuffer old = backend.allocate(OPENCL_0, DType.FLOAT32, 100);
        backend.fill(Operand.contiguous(old, 100), 42.0);
        backend.free(old);
        DeviceBuffer reused = backend.allocate(OPENCL_0, DType.FLOAT32, 100);
        backend.copyIn(reused, 10, FloatBuffer.wrap(new float[] {1, 2, 3}));
        float[] expected = new float[100];
        expected[10] = 1;
        expected[11] = 2;
        expected[12] = 3;
        assertArrayEquals(expected, backend.copyOutNew(reused, 0, 100).floats());

        DeviceBuffer big = backend.allocate(OPENCL_0, DType.FLOAT32, 3_000_000); // the arena grows
        FloatBuffer back = FloatBuffer.allocate(data.length);
        backend.copyOut(a, 0, back);
        assertArrayEquals(data, back.array(), "the arena's growth kept the live buffer");
        assertArrayEquals(
                Arrays.copyOfRange(data, 100, 200),
                backend.copyOutNew(a, 100, 100).floats());
        assertEquals(0f, backend.copyOutNew(big, 2_999_999, 1).floats()[0]);
        backend.free(a);
        backend.free(reused);
        backend.free(big);
    }
}
