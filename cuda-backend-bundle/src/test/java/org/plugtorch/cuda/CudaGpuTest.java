package org.plugtorch.cuda;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.FloatBuffer;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.plugtorch.DType;
import org.plugtorch.Device;
import org.plugtorch.spi.DeviceBuffer;
import org.plugtorch.spi.DeviceInfo;
import org.plugtorch.spi.Operand;

/**
 * What only a real GPU can show, beyond the test kits: the driver JIT-compiles every committed kernel, the device
 * reports itself, out-of-memory is reported as the backend promises, memory is freed from any thread, work queued
 * from one thread is seen by the next, devices copy to each other, and the tiled product is right at sizes past the
 * kits'. Skipped, with the reason, where there is no CUDA device.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CudaGpuTest {
    private static final Device CUDA0 = Device.parse("cuda:0");
    private CudaBackend backend;

    @BeforeAll
    void start() {
        backend = new CudaBackend();
        Assumptions.assumeTrue(
                backend.unavailableReason() == null, () -> "no CUDA device: " + backend.unavailableReason());
    }

    @AfterAll
    void stop() {
        if (backend != null) {
            backend.deactivate();
        }
    }

    @Test
    void theDeviceDescribesItself() {
        DeviceInfo info = backend.devices().get(0);
        assertEquals(CUDA0, info.device());
        assertFalse(info.name().isBlank());
        assertTrue(info.totalMemory() > 0);
        String[] cc = info.properties().get("compute capability").split("\\.");
        assertTrue(Integer.parseInt(cc[0]) * 10 + Integer.parseInt(cc[1]) >= 75, "sm_75 or later: " + info);
    }

    @Test
    void theDriverCompilesEveryCommittedKernel() {
        CudaDevice d = backend.cudaDevice(CUDA0);
        d.enter();
        for (String name : PtxSourcesTest.hostKernelNames()) {
            KernelModule m = name.startsWith("pt_reduce_")
                    ? KernelModule.REDUCE
                    : name.startsWith("pt_matmul_") ? KernelModule.MATMUL : KernelModule.ELEMENTWISE;
            d.kernels.get(m, name);
        }
    }

    @Test
    void outOfMemoryIsReportedAndLeavesTheDeviceUsable() {
        long total = backend.devices().get(0).totalMemory();
        IllegalStateException e =
                assertThrows(IllegalStateException.class, () -> backend.allocate(CUDA0, DType.FLOAT64, total / 4));
        assertTrue(e.getMessage().startsWith("CUDA out of memory on cuda:0"), e.getMessage());
        assertTrue(e.getMessage().contains("free of"), e.getMessage());
        DeviceBuffer small = backend.allocate(CUDA0, DType.FLOAT32, 16);
        backend.free(small);
    }

    @Test
    void memoryIsFreedFromAnyThreadAtOnce() throws Exception {
        long before = backend.bytesInUse(CUDA0);
        DeviceBuffer x = backend.allocate(CUDA0, DType.FLOAT32, 1 << 20);
        Thread t = new Thread(() -> backend.free(x));
        t.start();
        t.join();
        assertEquals(before, backend.bytesInUse(CUDA0));
    }

    @Test
    void workQueuedOnOneThreadIsSeenOnTheNext() throws Exception {
        DeviceBuffer x = backend.allocate(CUDA0, DType.FLOAT32, 1 << 22);
        ExecutorService one = Executors.newSingleThreadExecutor();
        ExecutorService two = Executors.newSingleThreadExecutor();
        try {
            for (int round = 0; round < 20; round++) {
                float value = round;
                one.submit(() -> backend.fill(Operand.contiguous(x, 1 << 22), value))
                        .get(60, TimeUnit.SECONDS);
                float[] back = new float[4];
                two.submit(() -> backend.copyOut(x, (1 << 22) - 4, FloatBuffer.wrap(back)))
                        .get(60, TimeUnit.SECONDS);
                assertArrayEquals(new float[] {value, value, value, value}, back);
            }
        } finally {
            one.shutdownNow();
            two.shutdownNow();
            backend.free(x);
        }
    }

    @Test
    void devicesCopyToEachOther() {
        Assumptions.assumeTrue(backend.devices().size() > 1, "one CUDA device: nothing to copy between");
        Device cuda1 = backend.devices().get(1).device();
        DeviceBuffer a = backend.allocate(CUDA0, DType.FLOAT32, 1000);
        DeviceBuffer b = backend.allocate(cuda1, DType.FLOAT32, 1000);
        float[] data = new float[1000];
        for (int i = 0; i < data.length; i++) {
            data[i] = i;
        }
        backend.copyIn(a, 0, FloatBuffer.wrap(data));
        assertTrue(backend.copyBetween(b, 0, a, 0, 1000));
        float[] back = new float[1000];
        backend.copyOut(b, 0, FloatBuffer.wrap(back));
        assertArrayEquals(data, back);
        backend.free(a);
        backend.free(b);
    }

    @Test
    void theTiledProductIsRightOnALargeOddShapeWithATransposedWeight() {
        int m = 1031;
        int k = 777;
        int n = 1100;
        Random r = new Random(42);
        float[] x = new float[m * k];
        float[] w = new float[n * k]; // [n, k], used transposed, as a linear layer does
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) r.nextGaussian();
        }
        for (int i = 0; i < w.length; i++) {
            w[i] = (float) r.nextGaussian();
        }
        DeviceBuffer dx = backend.allocate(CUDA0, DType.FLOAT32, x.length);
        DeviceBuffer dw = backend.allocate(CUDA0, DType.FLOAT32, w.length);
        DeviceBuffer dc = backend.allocate(CUDA0, DType.FLOAT32, (long) m * n);
        backend.copyIn(dx, 0, FloatBuffer.wrap(x));
        backend.copyIn(dw, 0, FloatBuffer.wrap(w));
        backend.matmul(
                Operand.contiguous(dc, 1, m, n),
                Operand.contiguous(dx, 1, m, k),
                new Operand(dw, 0, new long[] {1, k, n}, new long[] {0, 1, k}));
        float[] c = new float[m * n];
        backend.copyOut(dc, 0, FloatBuffer.wrap(c));
        for (int i = 0; i < m; i += 7) {
            for (int j = 0; j < n; j += 11) {
                double exact = 0;
                double magnitude = 0;
                for (int kk = 0; kk < k; kk++) {
                    exact += (double) x[i * k + kk] * w[j * k + kk];
                    magnitude += Math.abs((double) x[i * k + kk] * w[j * k + kk]);
                }
                double bound = (k + 2) * 0x1p-24 * magnitude;
                assertTrue(
                        Math.abs(c[i * n + j] - exact) <= bound,
                        "[" + i + ", " + j + "] = " + c[i * n + j] + ", exact " + exact + " within " + bound);
            }
        }
        backend.free(dx);
        backend.free(dw);
        backend.free(dc);
    }
}
