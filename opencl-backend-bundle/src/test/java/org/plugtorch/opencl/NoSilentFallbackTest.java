package org.plugtorch.opencl;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.plugtorch.opencl.SharedOpenCl.OPENCL_0;

import com.aparapi.Range;
import com.aparapi.device.Device;
import com.aparapi.device.JavaDevice;
import com.aparapi.device.OpenCLDevice;
import com.aparapi.internal.kernel.KernelManager;
import java.nio.FloatBuffer;
import java.util.LinkedHashSet;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.plugtorch.DType;
import org.plugtorch.spi.DeviceBuffer;
import org.plugtorch.spi.Operand;

/**
 * No silent fallback: a kernel that Aparapi does not run on the OpenCL device is an error naming what was run and the
 * device, never a result. Two ways to get there: Aparapi falling back during a launch (a kernel it cannot
 * translate), and a device that Aparapi has already given up on (every later op, and every read-back).
 */
class NoSilentFallbackTest {
    @Test
    void aLaunchThatAparapiFellBackOnIsAnErrorThoughItsJavaCodeRan() {
        SharedOpenCl.available();
        OpenCLDevice cl = OpenCLDevice.listDevices(null).get(0);
        UntranslatableKernel kernel = new UntranslatableKernel(cl);
        AparapiLog log = new AparapiLog().attach();
        try {
            LaunchGuard guard = new LaunchGuard("opencl:0 (" + cl.getName() + ")", log);
            IllegalStateException e = assertThrows(
                    IllegalStateException.class,
                    () -> guard.launch(kernel, cl, Range.create(1, 1), "an untranslatable kernel"));
            assertTrue(
                    e.getMessage()
                            .startsWith("opencl:0 (" + cl.getName() + "): an untranslatable kernel did not run"
                                    + " on the OpenCL device"),
                    e.getMessage());
            assertTrue(e.getMessage().contains("Aparapi: "), "the reason Aparapi logged: " + e.getMessage());
            assertEquals(1, kernel.ran[0], "Aparapi did run the Java code on its thread pool: only the guard noticed");
        } finally {
            log.close();
            kernel.dispose();
        }
    }

    @Test
    void anOpOnADeviceAparapiGaveUpOnFailsNamingTheOpAndTheDevice() {
        OpenClBackend backend = SharedOpenCl.available();
        DeviceBuffer buffer = backend.allocate(OPENCL_0, DType.FLOAT32, 4);
        Operand all = Operand.contiguous(buffer, 4);
        backend.fill(all, 2.5);
        DeviceProgram sameClass =
                new DeviceProgram(OpenCLDevice.listDevices(null).get(0));
        KernelManager manager = KernelManager.instance();
        List<Device> defaults = manager.getDefaultPreferences().getPreferredDevices(null);
        // what Aparapi does after a device failed for a kernel class: only its Java thread pool is left
        manager.setPreferredDevices(sameClass, new LinkedHashSet<>(List.of(JavaDevice.THREAD_POOL)));
        try {
            IllegalStateException fill = assertThrows(IllegalStateException.class, () -> backend.fill(all, 7.0));
            assertTrue(fill.getMessage().startsWith("opencl:0 ("), fill.getMessage());
            assertTrue(
                    fill.getMessage().contains("fill float32 [4] with 7.0 did not run on the OpenCL device"),
                    fill.getMessage());
            IllegalStateException read = assertThrows(
                    IllegalStateException.class, () -> backend.copyOut(buffer, 0, FloatBuffer.allocate(4)));
            assertTrue(read.getMessage().contains("copyOut of 4 float32 elements did not run"), read.getMessage());
        } finally {
            manager.setPreferredDevices(sameClass, new LinkedHashSet<>(defaults));
        }
        FloatBuffer back = FloatBuffer.allocate(4);
        backend.copyOut(buffer, 0, back);
        assertArrayEquals(
                new float[] {2.5f, 2.5f, 2.5f, 2.5f},
                back.array(),
                "the refused fill wrote nothing, and the device works again once Aparapi offers it");
        backend.free(buffer);
    }
}
