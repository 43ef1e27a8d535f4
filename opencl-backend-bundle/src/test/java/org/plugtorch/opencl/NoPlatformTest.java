package org.plugtorch.opencl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.plugtorch.Device;
import org.plugtorch.Tensor;
import org.plugtorch.registry.Backends;

/**
 * Runs in its own Surefire execution, whose OpenCL ICD loader is pointed ({@code OCL_ICD_VENDORS}) at a directory
 * with no vendor files: no platform at all. The backend is then unavailable with a one-line reason, and everything
 * else keeps working.
 */
class NoPlatformTest {
    @Test
    void withNoPlatformTheBackendIsUnavailableWithAReasonAndTheRestWorks() throws IOException {
        String vendors = System.getenv("OCL_ICD_VENDORS");
        Assumptions.assumeTrue(vendors != null, "runs only in the no-opencl-platform execution");
        Path dir = Path.of(vendors);
        if (Files.isDirectory(dir)) {
            try (Stream<Path> files = Files.list(dir)) {
                assertTrue(files.noneMatch(f -> f.toString().endsWith(".icd")), "no vendor file in " + dir);
            }
        }

        OpenClBackend backend = new OpenClBackend();
        String reason = backend.unavailableReason();
        assertNotNull(reason, "unavailable");
        assertTrue(reason.contains("no OpenCL platform"), reason);
        assertTrue(!reason.contains("\n"), "one line: " + reason);
        assertEquals(0, backend.devices().size());

        Backends.register(backend);
        try {
            Tensor x = Tensor.of(1f, 2f, 3f).mul(2.0).add(1.0);
            assertEquals(Device.CPU, x.device());
            assertEquals(15.0, x.sum().item(), 0.0, "the cpu computes as before");
            IllegalStateException e = assertThrows(
                    IllegalStateException.class, () -> Tensor.zeros(3).to(Device.of("opencl", 0)));
            assertTrue(
                    e.getMessage().contains("opencl:0") && e.getMessage().contains("no OpenCL platform"),
                    e.getMessage());
        } finally {
            Backends.unregister(backend);
        }
    }
}
