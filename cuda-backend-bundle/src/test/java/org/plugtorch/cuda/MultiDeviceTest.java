package org.plugtorch.cuda;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.plugtorch.DType;
import org.plugtorch.Device;
import org.plugtorch.Tensor;
import org.plugtorch.registry.Backends;
import org.plugtorch.spi.DeviceBuffer;
import org.plugtorch.spi.Operand;
import org.plugtorch.spi.UnaryOp;
import org.plugtorch.tck.ReferenceDevices;

/**
 * Two devices: each with its own context, memory and kernels; copies between them device to device; threads working
 * on different devices at once each with the right context current (the test driver refuses anything else).
 */
class MultiDeviceTest {
    private static final Device CUDA0 = Device.parse("cuda:0");
    private static final Device CUDA1 = Device.parse("cuda:1");
    private FakeCudaDriver driver;
    private CudaBackend backend;

    @BeforeEach
    void twoGpus() {
        driver = new FakeCudaDriver(
                13000,
                new FakeCudaDriver.Gpu("GPU zero", 9, 0, 1 << 24, 4),
                new FakeCudaDriver.Gpu("GPU one", 8, 0, 1 << 24, 4));
        backend = FakePlatforms.backend(driver);
    }

    @AfterEach
    void release() {
        backend.deactivate();
    }

    @Test
    void copiesWithinADeviceAndBetweenDevicesStayOnTheDevices() {
        DeviceBuffer a = backend.allocate(CUDA0, DType.FLOAT32, 6);
        DeviceBuffer b = backend.allocate(CUDA0, DType.FLOAT32, 6);
        DeviceBuffer c = backend.allocate(CUDA1, DType.FLOAT32, 6);
        backend.copyIn(a, 0, FloatBuffer.wrap(new float[] {1, 2, 3, 4, 5, 6}));
        assertTrue(backend.copyBetween(b, 1, a, 2, 3));
        assertTrue(backend.copyBetween(c, 0, b, 0, 6));
        assertEquals(1, driver.calls("cuMemcpyDtoD"));
        assertEquals(1, driver.calls("cuMemcpyPeer"));
        float[] back = new float[6];
        backend.copyOut(c, 0, FloatBuffer.wrap(back));
        assertArrayEquals(new float[] {0, 3, 4, 5, 0, 0}, back);
        assertEquals(2, driver.liveAllocations(0));
        assertEquals(1, driver.liveAllocations(1));
    }

    @Test
    void copiesBetweenDtypesAreRefused() {
        DeviceBuffer a = backend.allocate(CUDA0, DType.FLOAT32, 6);
        DeviceBuffer b = backend.allocate(CUDA1, DType.INT32, 6);
        assertThrows(IllegalArgumentException.class, () -> backend.copyBetween(b, 0, a, 0, 6));
        assertThrows(IndexOutOfBoundsException.class, () -> backend.copyBetween(a, 4, a, 0, 3));
    }

    @Test
    void eachDeviceLoadsItsOwnKernelsAndRetainsItsOwnContext() {
        DeviceBuffer a = backend.allocate(CUDA0, DType.FLOAT32, 4);
        DeviceBuffer b = backend.allocate(CUDA1, DType.FLOAT32, 4);
        backend.fill(Operand.contiguous(a, 4), 2);
        backend.fill(Operand.contiguous(b, 4), 3);
        backend.fill(Operand.contiguous(a, 4), 4);
        assertEquals(2, driver.calls("cuModuleLoadData"), "one elementwise module per device, loaded once");
        assertEquals(1, driver.retainCount(0));
        assertEquals(1, driver.retainCount(1));
        List<FakeCudaDriver.Launch> launches = driver.launches();
        assertEquals(
                List.of(0, 1, 0), launches.stream().map(l -> l.device).collect(java.util.stream.Collectors.toList()));
    }

    @Test
    void threadsOnDifferentDevicesEachGetTheirDevicesContext() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                Device device = t % 2 == 0 ? CUDA0 : CUDA1;
                float value = t;
                futures.add(pool.submit(() -> {
                    for (int round = 0; round < 30; round++) {
                        DeviceBuffer x = backend.allocate(device, DType.FLOAT32, 64);
                        backend.fill(Operand.contiguous(x, 64), value + round);
                        backend.unary(UnaryOp.NEG, Operand.contiguous(x, 64), Operand.contiguous(x, 64));
                        float[] back = new float[64];
                        backend.copyOut(x, 0, FloatBuffer.wrap(back));
                        for (float f : back) {
                            assertEquals(-(value + round), f);
                        }
                        backend.free(x);
                    }
                    return null;
                }));
            }
            for (Future<?> f : futures) {
                f.get(120, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        assertEquals(0, driver.liveAllocations(0) + driver.liveAllocations(1));
    }

    @Test
    void tensorsMoveBetweenTheTwoDevicesWithoutVisitingTheHost() {
        ReferenceDevices.install();
        Backends.register(backend, Integer.MAX_VALUE);
        try {
            Tensor x = Tensor.of(new float[][] {{1, 2, 3}, {4, 5, 6}}).to(CUDA0);
            int downloads = driver.calls("cuMemcpyDtoH");
            Tensor y = x.to(CUDA1);
            assertEquals(CUDA1, y.device());
            assertEquals(downloads, driver.calls("cuMemcpyDtoH"), "no copy went through the host");
            assertEquals(1, driver.calls("cuMemcpyPeer"));
            assertArrayEquals(new float[] {1, 2, 3, 4, 5, 6}, y.toFloatArray());
            assertArrayEquals(new float[] {5, 7, 9}, y.sum(0, false).toFloatArray());
        } finally {
            Backends.unregister(backend);
        }
    }
}
