package org.plugtorch.opencl;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.plugtorch.DType;
import org.plugtorch.Device;
import org.plugtorch.spi.DeviceBuffer;
import org.plugtorch.spi.DeviceInfo;
import org.plugtorch.spi.HostBuffer;
import org.plugtorch.spi.Operand;

/**
 * Transfers straight into and out of a shared arena, and the zeroing of reused ranges that is deferred to their first
 * use: whatever path a transfer takes, what comes back is what went in, and a reused range reads as zero wherever
 * nothing was written.
 */
class DirectTransferTest {
    private static final Device OPENCL_0 = SharedOpenCl.OPENCL_0;

    @Test
    void theDeviceSaysWhichTransferPathItTakesAndPoclSharesHostMemory() {
        DeviceInfo info = SharedOpenCl.available().devices().get(0);
        String path = info.properties().get("transfers");
        assertNotNull(path, "every device reports its transfer path: " + info.properties());
        assertTrue(path.startsWith("direct") || path.matches("staged .*\\(.+\\)"), path);
        if (info.properties().get("platform").contains("PoCL")) {
            assertTrue(path.startsWith("direct"), "PoCL's CPU device computes on host memory in place: " + path);
        }
    }

    /** A buffer on a reused range: the previous tenant of the range filled it with {@code 42}. */
    private static DeviceBuffer reused(OpenClBackend backend, DType dtype, int size) {
        DeviceBuffer before = backend.allocate(OPENCL_0, dtype, size);
        backend.fill(Operand.contiguous(before, size), 42);
        backend.free(before);
        return backend.allocate(OPENCL_0, dtype, size);
    }

    @Test
    void aReusedRangeWrittenInPartReadsAsZeroElsewhere() {
        OpenClBackend backend = SharedOpenCl.available();
        DeviceBuffer b = reused(backend, DType.INT64, 100);
        long[] part = new long[10];
        Arrays.fill(part, 7);
        backend.copyIn(b, 50, LongBuffer.wrap(part));
        LongBuffer back = LongBuffer.allocate(100);
        backend.copyOut(b, 0, back);
        long[] expected = new long[100];
        Arrays.fill(expected, 50, 60, 7);
        assertArrayEquals(expected, back.array());
        backend.free(b);
    }

    @Test
    void aKernelReadingAReusedRangeSeesZeros() {
        OpenClBackend backend = SharedOpenCl.available();
        DeviceBuffer b = reused(backend, DType.FLOAT32, 64);
        DeviceBuffer out = backend.allocate(OPENCL_0, DType.FLOAT32, 64);
        backend.copyIn(out, 0, FloatBuffer.wrap(new float[64]));
        backend.copy(Operand.contiguous(out, 64), Operand.contiguous(b, 64));
        FloatBuffer back = FloatBuffer.allocate(64);
        backend.copyOut(out, 0, back);
        assertArrayEquals(new float[64], back.array());
        backend.free(b);
        backend.free(out);
    }

    @Test
    void aReusedRangeOverwrittenWholeHoldsExactlyWhatWasWritten() {
        OpenClBackend backend = SharedOpenCl.available();
        DeviceBuffer b = reused(backend, DType.FLOAT32, 1000);
        float[] data = new float[1000];
        for (int i = 0; i < data.length; i++) {
            data[i] = (float) Math.cos(i);
        }
        backend.copyIn(b, 0, FloatBuffer.wrap(data));
        FloatBuffer back = FloatBuffer.allocate(1000);
        backend.copyOut(b, 0, back);
        assertArrayEquals(data, back.array());
        backend.free(b);
    }

    @Test
    void copyOutNewHoldsTheRangeAsCopyOutDoes() {
        OpenClBackend backend = SharedOpenCl.available();
        float[] data = new float[300];
        for (int i = 0; i < data.length; i++) {
            data[i] = i * 0.25f - 3;
        }
        DeviceBuffer f = backend.allocate(OPENCL_0, DType.FLOAT32, data.length);
        backend.copyIn(f, 0, FloatBuffer.wrap(data));
        HostBuffer part = backend.copyOutNew(f, 17, 200);
        assertEquals(DType.FLOAT32, part.dtype());
        assertArrayEquals(Arrays.copyOfRange(data, 17, 217), part.floats());
        assertEquals(0, backend.copyOutNew(f, 300, 0).size());

        byte[] bools = {1, 0, 0, 1, 1, 0, 1};
        DeviceBuffer b = backend.allocate(OPENCL_0, DType.BOOL, bools.length);
        backend.copyIn(b, 0, ByteBuffer.wrap(bools));
        assertArrayEquals(bools, backend.copyOutNew(b, 0, bools.length).bools());

        DeviceBuffer zero = reused(backend, DType.FLOAT32, 32);
        assertArrayEquals(new float[32], backend.copyOutNew(zero, 0, 32).floats(), "a reused range reads as zero");
        backend.free(f);
        backend.free(b);
        backend.free(zero);
    }
}
