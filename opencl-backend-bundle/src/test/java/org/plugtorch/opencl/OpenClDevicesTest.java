package org.plugtorch.opencl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.plugtorch.opencl.SharedOpenCl.OPENCL_0;

import com.aparapi.device.OpenCLDevice;
import java.util.EnumSet;
import java.util.ServiceLoader;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.plugtorch.DType;
import org.plugtorch.Device;
import org.plugtorch.spi.Backend;
import org.plugtorch.spi.DeviceInfo;

/** What the backend says about itself: one device per OpenCL device of every platform, described. */
class OpenClDevicesTest {
    @Test
    void everyOpenClDeviceIsAnOpenclDeviceWithNameVendorTypeAndMemory() {
        OpenClBackend backend = SharedOpenCl.available();
        assertNull(backend.unavailableReason());
        assertEquals("opencl", backend.deviceType());
        int found = OpenCLDevice.listDevices(null).size();
        assertEquals(found, backend.devices().size(), "one per OpenCL device: " + backend.devices());
        for (int i = 0; i < found; i++) {
            DeviceInfo info = backend.devices().get(i);
            assertEquals(Device.of("opencl", i), info.device());
            assertFalse(info.name().isEmpty(), "a name");
            assertFalse(info.properties().get("vendor").isEmpty(), "a vendor");
            assertTrue(
                    Set.of("CPU", "GPU", "ACC").contains(info.properties().get("type")),
                    "a type: " + info.properties());
            assertTrue(info.totalMemory() > 0, "its memory");
        }
        assertEquals(EnumSet.allOf(DType.class), backend.dtypes());
    }

    @Test
    void aDeviceItDoesNotServeIsRefusedByName() {
        OpenClBackend backend = SharedOpenCl.available();
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class, () -> backend.allocate(Device.of("opencl", 99), DType.FLOAT32, 1));
        assertTrue(e.getMessage().contains("opencl:99"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> backend.allocate(Device.CPU, DType.FLOAT32, 1));
        assertTrue(backend.transferStats(OPENCL_0).launches > 0, "starting the device launched its program once");
    }

    @Test
    void serviceLoaderFindsTheOpenClBackend() {
        boolean found = ServiceLoader.load(Backend.class).stream().anyMatch(p -> p.type() == OpenClBackend.class);
        assertTrue(found, "META-INF/services/org.plugtorch.spi.Backend names org.plugtorch.opencl.OpenClBackend");
    }
}
