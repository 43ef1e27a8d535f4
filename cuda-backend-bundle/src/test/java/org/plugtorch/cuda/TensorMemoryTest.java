package org.plugtorch.cuda;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.plugtorch.Device;
import org.plugtorch.Tensor;
import org.plugtorch.registry.Backends;
import org.plugtorch.tck.ReferenceDevices;

/**
 * Through the tensor API, on a backend over the test driver: a backend that leaves has its tensors evacuated and its
 * memory freed at once, and the API's Cleaner frees the memory of tensors nobody reaches any more, on its own thread.
 */
class TensorMemoryTest {
    private static final Device CUDA0 = Device.parse("cuda:0");
    private FakeCudaDriver driver;
    private CudaBackend backend;

    @BeforeEach
    void register() {
        ReferenceDevices.install();
        driver = FakeCudaDriver.oneGpu(1 << 24);
        backend = FakePlatforms.backend(driver);
        Backends.register(backend, Integer.MAX_VALUE);
    }

    @AfterEach
    void unregister() {
        Backends.unregister(backend);
        backend.deactivate();
    }

    @Test
    void unregisteringEvacuatesTensorsAndFreesTheirMemoryAtOnce() {
        Tensor t = Tensor.of(1f, 2f, 3f).to(CUDA0);
        Tensor v = Tensor.of(new float[][] {{1, 2}, {3, 4}}).to(CUDA0).t();
        Tensor copy = t.to(Device.CPU);
        assertArrayEquals(new float[] {1, 2, 3}, copy.toFloatArray());
        assertEquals(12 + 16, backend.bytesInUse(CUDA0), "to() copies; the original stays");
        Backends.unregister(backend);
        assertEquals(Device.CPU, t.device());
        assertArrayEquals(new float[] {1, 2, 3}, t.toFloatArray());
        assertArrayEquals(new float[] {1, 3, 2, 4}, v.contiguous().toFloatArray());
        assertEquals(0, backend.bytesInUse(CUDA0), "evacuation copied every live buffer out and freed it");
        assertEquals(0, driver.liveAllocations(0));
    }

    @Test
    void theCleanerFreesUnreachableTensorsOnItsOwnThread() throws InterruptedException {
        for (int i = 0; i < 20; i++) {
            Tensor.ones(1000).to(CUDA0).add(1);
        }
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (backend.bytesInUse(CUDA0) > 0 && System.nanoTime() < deadline) {
            System.gc();
            Thread.sleep(20);
        }
        assertEquals(0, backend.bytesInUse(CUDA0), "every unreachable storage was freed");
        assertEquals(0, driver.liveAllocations(0));
        assertTrue(
                driver.threadsThatFreed().keySet().stream().anyMatch(t -> t != Thread.currentThread()),
                "freed from the Cleaner's thread: " + driver.threadsThatFreed());
        assertNotEquals(0, driver.calls("cuMemFree"));
    }
}
