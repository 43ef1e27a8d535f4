package org.plugtorch.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.plugtorch.Device;
import org.plugtorch.Tensor;
import org.plugtorch.registry.Backends;
import org.plugtorch.tck.ReferenceDevices;

/**
 * The real backend, through JCuda, on the machine the tests run on: on one without a CUDA driver (CI) it must
 * register as unavailable with the runtime's reason and leave everything else working; on one with a GPU it must
 * serve it. The test kits' subclasses ({@link CudaBackendTckTest}, {@link CudaTensorTckTest}) skip without a device,
 * and {@link #cudaIsAvailableForTheTestKits} says so here too, with the reason.
 */
class CudaBackendOnThisMachineTest {
    /** Whether the dynamic linker can find the CUDA driver library. */
    static boolean libcudaInstalled() {
        try {
            Process p = new ProcessBuilder("/sbin/ldconfig", "-p")
                    .redirectErrorStream(true)
                    .start();
            String out = new String(p.getInputStream().readAllBytes());
            p.waitFor(30, TimeUnit.SECONDS);
            if (out.contains("libcuda.so.1")) {
                return true;
            }
        } catch (IOException e) {
            // no ldconfig: fall back to the library path
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        String path = System.getenv("LD_LIBRARY_PATH");
        for (String dir : path == null ? new String[0] : path.split(":")) {
            if (!dir.isEmpty() && Files.exists(Path.of(dir, "libcuda.so.1"))) {
                return true;
            }
        }
        return false;
    }

    @Test
    void cudaIsAvailableForTheTestKits() {
        CudaBackend b = new CudaBackend();
        Assumptions.assumeTrue(
                b.unavailableReason() == null,
                "no CUDA device here, so the CUDA test kits skip: " + b.unavailableReason());
        assertFalse(b.devices().isEmpty());
    }

    @Test
    void withoutADriverItIsUnavailableWithTheRuntimesReason() {
        Assumptions.assumeFalse(libcudaInstalled(), "libcuda.so.1 is installed here");
        CudaBackend b = new CudaBackend();
        String reason = b.unavailableReason();
        assertTrue(reason != null && reason.contains("cudaErrorInsufficientDriver"), String.valueOf(reason));
        assertFalse(reason.contains("\n"), reason);
        assertEquals(0, b.devices().size());
    }

    @Test
    void anUnavailableBackendLeavesTheFrameworkWorking() {
        CudaBackend b = new CudaBackend();
        Assumptions.assumeTrue(b.unavailableReason() != null, "a CUDA device is available here");
        ReferenceDevices.install();
        Backends.register(b);
        try {
            assertTrue(Backends.devices().contains(Device.CPU));
            assertFalse(Backends.devices().contains(Device.parse("cuda:0")));
            Tensor x = Tensor.ones(3);
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> x.to("cuda:0"));
            assertTrue(e.getMessage().contains(b.unavailableReason()), e.getMessage());
            assertEquals(6.0, x.mul(2).sum().item(), "the CPU keeps computing");
        } finally {
            Backends.unregister(b);
        }
    }
}
