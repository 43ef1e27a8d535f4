package org.plugtorch.cuda;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.FloatBuffer;
import java.nio.IntBuffer;
import java.nio.LongBuffer;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.plugtorch.DType;
import org.plugtorch.Device;
import org.plugtorch.spi.BinaryOp;
import org.plugtorch.spi.DeviceBuffer;
import org.plugtorch.spi.IterationSpace;
import org.plugtorch.spi.Operand;
import org.plugtorch.spi.ReduceOp;

/**
 * Launches that the test kit's shapes never need: more dimensions than the kernel structs hold, more batches than a
 * grid dimension holds, more reduced dimensions than the reduction takes. Each must still compute every element once.
 */
class LaunchPlumbingTest {
    private static final Device CUDA0 = Device.parse("cuda:0");

    /** Strides with a gap after every dimension, so that no two dimensions merge. */
    private static long[] unmergeable(long[] shape) {
        long[] strides = new long[shape.length];
        long s = 1;
        for (int d = shape.length - 1; d >= 0; d--) {
            strides[d] = s;
            s *= shape[d] + 1;
        }
        return strides;
    }

    private static long at(long[] idx, long[] strides) {
        long p = 0;
        for (int d = 0; d < idx.length; d++) {
            p += idx[d] * strides[d];
        }
        return p;
    }

    private static final long[] TEN_DIMS = {3, 2, 2, 2, 2, 2, 2, 2, 2, 2};
    /** Elements TEN_DIMS addresses through unmergeable strides: up to 1 + 2 * 19683 + 9841. */
    private static final int SPAN = 49208;

    @Test
    void tenDimensionalOperandsRunInSeveralLaunches() {
        FakeCudaDriver driver = FakeCudaDriver.oneGpu(1 << 24);
        CudaBackend b = FakePlatforms.backend(driver);
        long[] strides = unmergeable(TEN_DIMS);
        DeviceBuffer x = b.allocate(CUDA0, DType.INT32, SPAN);
        int[] data = new int[SPAN];
        for (int i = 0; i < data.length; i++) {
            data[i] = i;
        }
        b.copyIn(x, 0, IntBuffer.wrap(data));
        DeviceBuffer y = b.allocate(CUDA0, DType.INT32, 1536);
        driver.clearLaunches();
        b.binary(
                BinaryOp.MUL,
                Operand.contiguous(y, TEN_DIMS),
                new Operand(x, 0, TEN_DIMS, strides),
                new Operand(x, 0, TEN_DIMS, strides));
        assertEquals(6, driver.launches().size(), "the two leading dimensions are iterated on the host");
        int[] back = new int[1536];
        b.copyOut(y, 0, IntBuffer.wrap(back));
        long[] idx = new long[TEN_DIMS.length];
        int i = 0;
        do {
            int v = (int) at(idx, strides);
            assertEquals(v * v, back[i], "element " + i + " (int32 products wrap around)");
            i++;
        } while (IterationSpace.next(idx, TEN_DIMS));
    }

    @Test
    void moreBatchesThanAGridDimensionHoldsRunInChunks() {
        FakeCudaDriver driver = FakeCudaDriver.oneGpu(1 << 24);
        CudaBackend b = FakePlatforms.backend(driver);
        int batch = 70_000;
        DeviceBuffer a = b.allocate(CUDA0, DType.FLOAT32, batch * 2);
        DeviceBuffer w = b.allocate(CUDA0, DType.FLOAT32, 2);
        DeviceBuffer c = b.allocate(CUDA0, DType.FLOAT32, batch);
        float[] x = new float[batch * 2];
        for (int i = 0; i < batch; i++) {
            x[2 * i] = i;
            x[2 * i + 1] = 1;
        }
        b.copyIn(a, 0, FloatBuffer.wrap(x));
        b.copyIn(w, 0, FloatBuffer.wrap(new float[] {2, 3}));
        driver.clearLaunches();
        // [B, 1, 2] @ [B, 2, 1] with the weight broadcast over the batch (stride 0)
        b.matmul(
                Operand.contiguous(c, batch, 1, 1),
                Operand.contiguous(a, batch, 1, 2),
                new Operand(w, 0, new long[] {batch, 2, 1}, new long[] {0, 1, 1}));
        List<Integer> zs = driver.launches().stream().map(l -> l.grid[2]).collect(Collectors.toList());
        assertEquals(List.of(65535, batch - 65535), zs);
        float[] back = new float[batch];
        b.copyOut(c, 0, FloatBuffer.wrap(back));
        for (int i = 0; i < batch; i += 997) {
            assertEquals(2f * i + 3, back[i], "batch " + i);
        }
        assertEquals(2f * (batch - 1) + 3, back[batch - 1]);
    }

    @Test
    void moreReducedDimensionsThanTheKernelTakesAreReducedFromAContiguousCopy() {
        FakeCudaDriver driver = FakeCudaDriver.oneGpu(1 << 24);
        CudaBackend b = FakePlatforms.backend(driver);
        long[] strides = unmergeable(TEN_DIMS); // nine reduced dimensions that cannot merge
        DeviceBuffer x = b.allocate(CUDA0, DType.INT64, SPAN);
        long[] data = new long[SPAN];
        for (int i = 0; i < data.length; i++) {
            data[i] = i;
        }
        b.copyIn(x, 0, LongBuffer.wrap(data));
        DeviceBuffer sums = b.allocate(CUDA0, DType.INT64, 3);
        DeviceBuffer argmax = b.allocate(CUDA0, DType.INT64, 3);
        long before = b.bytesInUse(CUDA0);
        b.reduce(ReduceOp.SUM, Operand.contiguous(sums, 3), new Operand(x, 0, TEN_DIMS, strides));
        b.reduce(ReduceOp.ARGMAX, Operand.contiguous(argmax, 3), new Operand(x, 0, TEN_DIMS, strides));
        assertEquals(before, b.bytesInUse(CUDA0), "the contiguous copy was freed");
        assertTrue(driver.launches().stream().anyMatch(l -> l.kernel.equals("pt_copy_i64_i64")));
        long[] expected = new long[3];
        long[] idx = new long[TEN_DIMS.length];
        do {
            expected[(int) idx[0]] += at(idx, strides);
        } while (IterationSpace.next(idx, TEN_DIMS));
        long[] back = new long[3];
        b.copyOut(sums, 0, LongBuffer.wrap(back));
        assertArrayEquals(expected, back);
        b.copyOut(argmax, 0, LongBuffer.wrap(back));
        assertArrayEquals(new long[] {511, 511, 511}, back, "the values grow with the position: the last is largest");
    }
}
