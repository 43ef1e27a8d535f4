package org.plugtorch.opencl;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.plugtorch.DType;
import org.plugtorch.Device;
import org.plugtorch.spi.DeviceBuffer;
import org.plugtorch.spi.Operand;

/**
 * Device memory on a backend of its own (so the arena starts empty): reused space is zeroed, a growing arena keeps
 * every live tensor's contents at the same place, and the limits are errors that name the device.
 */
class DeviceMemoryTest {
    private static final Device OPENCL_0 = SharedOpenCl.OPENCL_0;
    private OpenClBackend backend;
    private final List<DeviceBuffer> live = new ArrayList<>();

    @BeforeEach
    void start() {
        SharedOpenCl.available();
        backend = new OpenClBackend();
    }

    @AfterEach
    void stop() {
        if (backend != null) {
            live.forEach(backend::free);
            backend.close();
        }
    }

    private DeviceBuffer allocate(DType dtype, long size) {
        DeviceBuffer b = backend.allocate(OPENCL_0, dtype, size);
        live.add(b);
        return b;
    }

    @Test
    void aReusedRangeIsZeroedBeforeItIsHandedOut() {
        DeviceBuffer first = backend.allocate(OPENCL_0, DType.INT64, 100);
        backend.fill(Operand.contiguous(first, 100), 42L);
        backend.free(first);
        DeviceBuffer second = allocate(DType.INT64, 100);
        LongBuffer back = LongBuffer.allocate(100);
        backend.copyOut(second, 0, back);
        assertArrayEquals(new long[100], back.array());
    }

    @Test
    void growingAnArenaKeepsLiveTensorsWhereTheyAre() {
        float[] data = new float[1000];
        for (int i = 0; i < data.length; i++) {
            data[i] = i * 0.5f - 7;
        }
        DeviceBuffer small = allocate(DType.FLOAT32, data.length);
        backend.copyIn(small, 0, FloatBuffer.wrap(data));
        TransferStats before = backend.transferStats(OPENCL_0);
        DeviceBuffer big = allocate(DType.FLOAT32, 3_000_000); // more than the first arena holds
        TransferStats grew = backend.transferStats(OPENCL_0).since(before);
        assertEquals(1, grew.arenaRoundTrips, "the arena held live data, so it crossed the host once: " + grew);
        FloatBuffer back = FloatBuffer.allocate(data.length);
        backend.copyOut(small, 0, back);
        assertArrayEquals(data, back.array(), "the live buffer survived the growth");
        FloatBuffer tail = FloatBuffer.allocate(10);
        backend.copyOut(big, 3_000_000 - 10, tail);
        assertArrayEquals(new float[10], tail.array(), "the new space is zero");
    }

    @Test
    void transfersThroughTheCallersOwnArrayAgreeWithTransfersThroughACopy() {
        float[] data = new float[1000];
        for (int i = 0; i < data.length; i++) {
            data[i] = (float) Math.sin(i);
        }
        float[] original = data.clone();
        DeviceBuffer b = allocate(DType.FLOAT32, data.length);
        backend.copyIn(b, 0, FloatBuffer.wrap(data)); // spans the whole array: the array itself is the stage
        assertArrayEquals(original, data, "copyIn leaves the caller's array as it was");
        float[] whole = new float[1000];
        backend.copyOut(b, 0, FloatBuffer.wrap(whole));
        float[] padded = new float[1002];
        backend.copyOut(b, 0, FloatBuffer.wrap(padded, 1, 1000).slice()); // a view: staged through a copy
        FloatBuffer direct =
                ByteBuffer.allocateDirect(4000).order(ByteOrder.nativeOrder()).asFloatBuffer();
        backend.copyOut(b, 0, direct);
        float[] fromDirect = new float[1000];
        direct.get(fromDirect);
        assertArrayEquals(original, whole);
        assertArrayEquals(original, Arrays.copyOfRange(padded, 1, 1001));
        assertEquals(0f, padded[0]);
        assertEquals(0f, padded[1001]);
        assertArrayEquals(original, fromDirect);
    }

    @Test
    void usingAFreedBufferIsAnError() {
        DeviceBuffer b = backend.allocate(OPENCL_0, DType.FLOAT32, 8);
        backend.free(b);
        assertThrows(IllegalStateException.class, () -> backend.copyOut(b, 0, FloatBuffer.allocate(8)));
        assertThrows(IllegalStateException.class, () -> backend.free(b));
    }

    @Test
    void moreThanTheDeviceCanHoldIsAnOutOfMemoryErrorNamingTheDevice() {
        IllegalStateException e = assertThrows(
                IllegalStateException.class, () -> backend.allocate(OPENCL_0, DType.FLOAT64, Integer.MAX_VALUE));
        assertTrue(e.getMessage().startsWith("out of memory on device 'opencl:0'"), e.getMessage());
    }

    /**
     * Issue 12, item 2: two tensors that each fit, but not together in one arena of the device's (or Aparapi's)
     * largest buffer. The second used to grow the arena past 2 GiB, which Aparapi cannot create: the allocation
     * "succeeded" and every later op on the device failed. Now it is an out-of-memory error naming the device, the
     * request and the limit, and the device, with the first tensor, keeps working.
     */
    @Test
    void aTensorBeyondTheLargestBufferIsAnOutOfMemoryErrorAndTheDeviceKeepsWorking() {
        long limit = Math.min(
                backend.devices().get(0).totalMemory(),
                Long.parseLong(backend.devices()
                        .get(0)
                        .properties()
                        .get("max allocation")
                        .replace(" bytes", "")));
        long half = Math.min(limit, ClDevice.APARAPI_MAX_BYTES) / 4 / 2 + 1_000_000; // float32 elements
        DeviceBuffer small = allocate(DType.FLOAT32, 8); // first, so that checking the device later needs no growth
        DeviceBuffer first = allocate(DType.FLOAT32, half);
        backend.fill(Operand.contiguous(first, half), 2.0);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> allocate(DType.FLOAT32, half));
        assertTrue(
                e.getMessage().startsWith("out of memory on device 'opencl:0' (")
                        && e.getMessage()
                                .contains("allocating " + half + " elements of torch.float32 (" + half * 4 + " bytes)")
                        && e.getMessage().contains("holds at most"),
                e.getMessage());
        assertTheDeviceStillWorks(first, half, small);
    }

    /**
     * The same request with the buffer limit set too high, as a device whose real limits are not all known would be:
     * the device itself refuses the buffer at run time. The old arena is bound again and Aparapi is told to use the
     * device again, so the request alone fails.
     */
    @Test
    void aBufferTheDeviceRefusesAtRunTimeFailsAloneAndTheDeviceKeepsWorking() {
        long half = ClDevice.APARAPI_MAX_BYTES / 4 / 2 + 1_000_000;
        DeviceBuffer small = allocate(DType.FLOAT32, 8);
        DeviceBuffer first = allocate(DType.FLOAT32, half);
        backend.fill(Operand.contiguous(first, half), 2.0);
        ClDevice.aparapiMaxBytes = Long.MAX_VALUE;
        try {
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> allocate(DType.FLOAT32, half));
            assertTrue(
                    e.getMessage().startsWith("out of memory on device 'opencl:0' (")
                            && e.getMessage().contains("could not create a buffer"),
                    e.getMessage());
        } finally {
            ClDevice.aparapiMaxBytes = ClDevice.APARAPI_MAX_BYTES;
        }
        assertTheDeviceStillWorks(first, half, small);
    }

    private void assertTheDeviceStillWorks(DeviceBuffer big, long size, DeviceBuffer small) {
        FloatBuffer tail = FloatBuffer.allocate(4);
        backend.copyOut(big, size - 4, tail);
        assertArrayEquals(new float[] {2, 2, 2, 2}, tail.array(), "the tensor that fitted kept its values");
        backend.fill(Operand.contiguous(small, 8), 3.0);
        backend.binary(
                org.plugtorch.spi.BinaryOp.ADD,
                Operand.contiguous(small, 8),
                Operand.contiguous(small, 8),
                Operand.contiguous(small, 8));
        FloatBuffer back = FloatBuffer.allocate(8);
        backend.copyOut(small, 0, back);
        assertArrayEquals(new float[] {6, 6, 6, 6, 6, 6, 6, 6}, back.array(), "later ops run on the device");
    }

    @Test
    void anOperandOutsideItsBufferIsRefusedBeforeAnythingRuns() {
        DeviceBuffer b = allocate(DType.FLOAT32, 10);
        TransferStats before = backend.transferStats(OPENCL_0);
        assertThrows(
                IndexOutOfBoundsException.class,
                () -> backend.fill(new Operand(b, 5, new long[] {6}, new long[] {1}), 1.0));
        assertEquals(0, backend.transferStats(OPENCL_0).since(before).launches, "nothing was launched");
    }

    @Test
    void aClosedBackendRefusesCalls() {
        DeviceBuffer b = backend.allocate(OPENCL_0, DType.FLOAT32, 8);
        backend.close();
        IllegalStateException e =
                assertThrows(IllegalStateException.class, () -> backend.fill(Operand.contiguous(b, 8), 1.0));
        assertTrue(e.getMessage().contains("closed"), e.getMessage());
    }
}
