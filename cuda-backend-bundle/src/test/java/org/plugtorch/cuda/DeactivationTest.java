package org.plugtorch.cuda;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.plugtorch.DType;
import org.plugtorch.Device;
import org.plugtorch.spi.DeviceBuffer;
import org.plugtorch.spi.Operand;

/**
 * What a leaving backend owes the runtime: its live buffers can be listed and copied out (that is how their tensors are
 * evacuated), and deactivation then releases everything, after which late frees (from the Cleaner) are harmless and
 * every other call says the backend is gone.
 */
class DeactivationTest {
    private static final Device CUDA0 = Device.parse("cuda:0");

    @Test
    void liveBuffersCanBeCopiedOutThenEverythingIsReleased() {
        FakeCudaDriver driver = FakeCudaDriver.oneGpu(1 << 24);
        CudaBackend b = FakePlatforms.backend(driver);
        DeviceBuffer x = b.allocate(CUDA0, DType.FLOAT32, 5000);
        DeviceBuffer y = b.allocate(CUDA0, DType.INT64, 3);
        float[] data = new float[5000];
        for (int i = 0; i < data.length; i++) {
            data[i] = i;
        }
        b.copyIn(x, 0, FloatBuffer.wrap(data));
        b.fill(Operand.contiguous(y, 3), 42L);
        List<DeviceBuffer> live = b.liveBuffers(CUDA0);
        assertEquals(2, live.size());
        float[] evacuatedX = new float[5000];
        long[] evacuatedY = new long[3];
        for (DeviceBuffer buffer : live) {
            if (buffer.dtype() == DType.FLOAT32) {
                b.copyOut(buffer, 0, FloatBuffer.wrap(evacuatedX));
            } else {
                b.copyOut(buffer, 0, LongBuffer.wrap(evacuatedY));
            }
        }
        assertArrayEquals(data, evacuatedX);
        assertArrayEquals(new long[] {42, 42, 42}, evacuatedY);
        b.free(x);

        b.deactivate();
        assertEquals(0, driver.liveAllocations(0), "the buffer left live was freed with the device");
        assertEquals(0, driver.livePinned());
        assertEquals(0, driver.retainCount(0), "the primary context was released");
        assertEquals(1, driver.calls("cuModuleUnload"));
        assertEquals("the cuda backend was deactivated", b.unavailableReason());
        assertEquals(List.of(), b.devices());

        b.free(y); // the Cleaner may still get to it: harmless
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> b.allocate(CUDA0, DType.FLOAT32, 1));
        assertTrue(e.getMessage().contains("deactivated"), e.getMessage());
        assertThrows(IllegalStateException.class, () -> b.copyOut(y, 0, LongBuffer.allocate(3)));
        b.deactivate(); // twice is fine
    }

    @Test
    void aDeviceNeverUsedHasNothingToRelease() {
        FakeCudaDriver driver = FakeCudaDriver.oneGpu(1 << 20);
        CudaBackend b = FakePlatforms.backend(driver);
        b.deactivate();
        assertEquals(0, driver.calls("cuDevicePrimaryCtxRetain"));
        assertEquals(0, driver.calls("cuDevicePrimaryCtxRelease"));
    }
}
