package org.plugtorch.cuda;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.plugtorch.DType;
import org.plugtorch.Device;
import org.plugtorch.spi.DeviceBuffer;

/** Device memory: zero-filled on allocation, counted while live, released the moment it is freed, from any thread. */
class AllocationTest {
    private static final Device CUDA0 = Device.parse("cuda:0");

    @Test
    void memoryIsZeroedAndCountedUntilFreed() {
        FakeCudaDriver driver = FakeCudaDriver.oneGpu(1 << 20);
        CudaBackend b = FakePlatforms.backend(driver);
        CudaBuffer x = (CudaBuffer) b.allocate(CUDA0, DType.FLOAT64, 1000);
        assertArrayEquals(new byte[8000], driver.read(x.address, 8000), "the driver's memory was uninitialised");
        DeviceBuffer y = b.allocate(CUDA0, DType.BOOL, 3);
        assertEquals(8003, b.bytesInUse(CUDA0));
        assertEquals(8003, driver.usedBytes(0));
        assertEquals(2, b.liveBuffers(CUDA0).size());
        b.free(x);
        assertEquals(3, b.bytesInUse(CUDA0));
        assertEquals(3, driver.usedBytes(0), "freed memory goes back to the device at once");
        assertEquals(List.of(y), b.liveBuffers(CUDA0));
        b.free(y);
        assertEquals(0, driver.liveAllocations(0));
    }

    @Test
    void emptyBuffersHoldNoDeviceMemory() {
        FakeCudaDriver driver = FakeCudaDriver.oneGpu(1 << 20);
        CudaBackend b = FakePlatforms.backend(driver);
        DeviceBuffer e = b.allocate(CUDA0, DType.INT64, 0);
        assertEquals(0, e.size());
        assertEquals(0, driver.calls("cuMemAlloc"), "cuMemAlloc refuses zero bytes, so none is asked for");
        b.free(e);
    }

    @Test
    void aBufferIsFreedOnce() {
        CudaBackend b = FakePlatforms.backend(FakeCudaDriver.oneGpu(1 << 20));
        DeviceBuffer x = b.allocate(CUDA0, DType.INT32, 10);
        b.free(x);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> b.free(x));
        assertTrue(e.getMessage().contains("freed"), e.getMessage());
    }

    @Test
    void freeingFromAnotherThreadMakesTheContextCurrentThere() throws Exception {
        FakeCudaDriver driver = FakeCudaDriver.oneGpu(1 << 20);
        CudaBackend b = FakePlatforms.backend(driver);
        DeviceBuffer x = b.allocate(CUDA0, DType.FLOAT32, 100);
        Thread cleaner = new Thread(() -> b.free(x), "a thread that never saw the device");
        cleaner.start();
        cleaner.join();
        assertEquals(0, driver.liveAllocations(0), "the test driver refuses cuMemFree without a current context");
        assertEquals(1, driver.threadsThatFreed().get(cleaner));
    }

    @Test
    void outOfMemoryNamesTheDeviceTheRequestAndWhatIsFree() {
        FakeCudaDriver driver = FakeCudaDriver.oneGpu(1 << 20);
        CudaBackend b = FakePlatforms.backend(driver);
        b.allocate(CUDA0, DType.FLOAT32, 200_000);
        IllegalStateException e =
                assertThrows(IllegalStateException.class, () -> b.allocate(CUDA0, DType.FLOAT32, 100_000));
        String m = e.getMessage();
        assertTrue(m.startsWith("CUDA out of memory on cuda:0 (Fake H200)"), m);
        assertTrue(m.contains("cannot allocate 100000 elements of torch.float32 (400000 bytes (390.6 KiB))"), m);
        assertTrue(m.contains("248576 bytes (242.8 KiB) free of 1048576 bytes (1.0 MiB)"), m);
        assertTrue(m.contains("this backend holds 1 buffers (800000 bytes"), m);
        assertTrue(m.contains("cuMemAlloc failed: CUDA_ERROR_OUT_OF_MEMORY (2)"), m);
        assertEquals(CudaException.class, e.getCause().getClass());
    }

    @Test
    void outOfMemoryRetriesOnceAfterReclaiming() {
        FakeCudaDriver driver = FakeCudaDriver.oneGpu(1 << 20);
        AtomicInteger reclaims = new AtomicInteger();
        DeviceBuffer[] garbage = new DeviceBuffer[1];
        CudaBackend[] b = new CudaBackend[1];
        b[0] = new CudaBackend(FakePlatforms.on(driver), FakePlatforms.SMALL_CHUNK_BYTES, allocations -> {
            reclaims.incrementAndGet();
            b[0].free(garbage[0]); // what the Cleaner does for a tensor nobody reaches
        });
        garbage[0] = b[0].allocate(CUDA0, DType.FLOAT32, 200_000);
        DeviceBuffer fresh = b[0].allocate(CUDA0, DType.FLOAT32, 200_000);
        assertEquals(1, reclaims.get());
        assertEquals(800_000, b[0].bytesInUse(CUDA0));
        assertNotEquals(0, ((CudaBuffer) fresh).address);
    }

    @Test
    void aFailedZeroFillDoesNotLeakTheAllocation() {
        FakeCudaDriver driver = FakeCudaDriver.oneGpu(1 << 20);
        CudaBackend b = FakePlatforms.backend(driver);
        driver.failNext("cuMemsetD8", FakeCudaDriver.ILLEGAL_ADDRESS);
        CudaException e = assertThrows(CudaException.class, () -> b.allocate(CUDA0, DType.FLOAT32, 10));
        assertEquals("cuMemsetD8 failed: CUDA_ERROR_ILLEGAL_ADDRESS (700)", e.getMessage());
        assertEquals(0, driver.liveAllocations(0));
        assertEquals(0, b.bytesInUse(CUDA0));
    }

    @Test
    void freeingWaitsForQueuedKernelsFirst() {
        FakeCudaDriver driver = FakeCudaDriver.oneGpu(1 << 20);
        CudaBackend b = FakePlatforms.backend(driver);
        DeviceBuffer x = b.allocate(CUDA0, DType.FLOAT32, 10);
        int before = driver.calls("cuCtxSynchronize");
        b.free(x);
        assertEquals(
                before + 1, driver.calls("cuCtxSynchronize"), "kernels queued on the buffer finish before cuMemFree");
    }
}
