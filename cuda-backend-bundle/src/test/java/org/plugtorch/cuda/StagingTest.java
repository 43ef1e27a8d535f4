package org.plugtorch.cuda;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;
import java.nio.IntBuffer;
import java.nio.LongBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.plugtorch.DType;
import org.plugtorch.Device;
import org.plugtorch.spi.DeviceBuffer;

/**
 * Host transfers go through pinned chunks (4 KiB here, so that modest sizes cross several), convert any NIO buffer
 * (heap, direct, either byte order) to the device's little-endian layout, respect offsets and positions, and keep only
 * a couple of pinned chunks around.
 */
class StagingTest {
    private static final Device CUDA0 = Device.parse("cuda:0");

    @Test
    void aLongCopyCrossesManyChunksBothWays() {
        FakeCudaDriver driver = FakeCudaDriver.oneGpu(1 << 24);
        CudaBackend b = FakePlatforms.backend(driver);
        double[] data = new double[10_000]; // 80 KB: twenty chunks
        for (int i = 0; i < data.length; i++) {
            data[i] = i * 0.5 - 7;
        }
        DeviceBuffer d = b.allocate(CUDA0, DType.FLOAT64, data.length);
        b.copyIn(d, 0, DoubleBuffer.wrap(data));
        assertEquals(20, driver.calls("cuMemcpyHtoD"));
        ByteBuffer raw =
                ByteBuffer.wrap(driver.read(((CudaBuffer) d).address, 16)).order(ByteOrder.LITTLE_ENDIAN);
        assertEquals(-7.0, raw.getDouble(), "device memory is little-endian");
        assertEquals(-6.5, raw.getDouble());
        double[] back = new double[data.length];
        b.copyOut(d, 0, DoubleBuffer.wrap(back));
        assertArrayEquals(data, back);
    }

    @Test
    void directBuffersOfEitherByteOrderArriveAsNumbers() {
        CudaBackend b = FakePlatforms.backend(FakeCudaDriver.oneGpu(1 << 24));
        for (ByteOrder order : new ByteOrder[] {ByteOrder.BIG_ENDIAN, ByteOrder.LITTLE_ENDIAN}) {
            LongBuffer src = ByteBuffer.allocateDirect(8 * 3000).order(order).asLongBuffer();
            for (int i = 0; i < 3000; i++) {
                src.put(i, Long.MIN_VALUE + i * 3L);
            }
            DeviceBuffer d = b.allocate(CUDA0, DType.INT64, 3000);
            b.copyIn(d, 0, src);
            LongBuffer dst = ByteBuffer.allocateDirect(8 * 3000)
                    .order(order.equals(ByteOrder.BIG_ENDIAN) ? ByteOrder.LITTLE_ENDIAN : ByteOrder.BIG_ENDIAN)
                    .asLongBuffer();
            b.copyOut(d, 0, dst);
            for (int i = 0; i < 3000; i++) {
                assertEquals(Long.MIN_VALUE + i * 3L, dst.get(i), "element " + i + " from a " + order + " buffer");
            }
        }
    }

    @Test
    void offsetsAndPositionsAreRespectedAcrossChunks() {
        CudaBackend b = FakePlatforms.backend(FakeCudaDriver.oneGpu(1 << 24));
        float[] data = new float[5000];
        for (int i = 0; i < data.length; i++) {
            data[i] = i;
        }
        DeviceBuffer d = b.allocate(CUDA0, DType.FLOAT32, 6000);
        FloatBuffer src = FloatBuffer.wrap(data);
        src.position(17).limit(4017);
        b.copyIn(d, 1500, src);
        assertEquals(17, src.position(), "the source position is left alone");
        FloatBuffer dst = FloatBuffer.allocate(6000);
        dst.position(3).limit(5003);
        b.copyOut(d, 1000, dst);
        assertEquals(3, dst.position());
        for (int i = 0; i < 5000; i++) {
            long device = 1000 + i;
            float expected = device >= 1500 && device < 5500 ? 17 + device - 1500 : 0;
            assertEquals(expected, dst.get(3 + i), "device element " + device);
        }
    }

    @Test
    void boolsTravelAsBytes() {
        CudaBackend b = FakePlatforms.backend(FakeCudaDriver.oneGpu(1 << 20));
        byte[] bits = new byte[9000];
        for (int i = 0; i < bits.length; i++) {
            bits[i] = (byte) (i % 3 == 0 ? 1 : 0);
        }
        DeviceBuffer d = b.allocate(CUDA0, DType.BOOL, bits.length);
        b.copyIn(d, 0, ByteBuffer.wrap(bits));
        byte[] back = new byte[bits.length];
        b.copyOut(d, 0, ByteBuffer.wrap(back));
        assertArrayEquals(bits, back);
    }

    @Test
    void wrongBufferTypesAndRangesAreRefused() {
        CudaBackend b = FakePlatforms.backend(FakeCudaDriver.oneGpu(1 << 20));
        DeviceBuffer d = b.allocate(CUDA0, DType.FLOAT32, 10);
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> b.copyIn(d, 0, DoubleBuffer.allocate(10)));
        assertTrue(e.getMessage().contains("expected a FloatBuffer"), e.getMessage());
        assertThrows(IndexOutOfBoundsException.class, () -> b.copyIn(d, 5, FloatBuffer.allocate(6)));
        assertThrows(IndexOutOfBoundsException.class, () -> b.copyOut(d, -1, FloatBuffer.allocate(2)));
    }

    @Test
    void concurrentTransfersEachUseTheirOwnChunkAndFewAreKept() throws Exception {
        FakeCudaDriver driver = FakeCudaDriver.oneGpu(1 << 26);
        CudaBackend b = FakePlatforms.backend(driver);
        ExecutorService pool = Executors.newFixedThreadPool(6);
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int t = 0; t < 6; t++) {
                int seed = t;
                futures.add(pool.submit(() -> {
                    for (int round = 0; round < 20; round++) {
                        int[] data = new int[3000 + seed * 100 + round];
                        for (int i = 0; i < data.length; i++) {
                            data[i] = seed * 1_000_000 + round * 10_000 + i;
                        }
                        DeviceBuffer d = b.allocate(CUDA0, DType.INT32, data.length);
                        b.copyIn(d, 0, IntBuffer.wrap(data));
                        int[] back = new int[data.length];
                        b.copyOut(d, 0, IntBuffer.wrap(back));
                        assertArrayEquals(data, back, "thread " + seed + " round " + round);
                        b.free(d);
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
        assertTrue(driver.livePinned() <= 2, "at most two pinned chunks are kept: " + driver.livePinned());
        b.deactivate();
        assertEquals(0, driver.livePinned(), "deactivation frees the kept pinned chunks");
    }
}
