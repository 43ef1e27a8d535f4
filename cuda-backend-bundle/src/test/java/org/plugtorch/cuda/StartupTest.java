package org.plugtorch.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.FloatBuffer;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.plugtorch.DType;
import org.plugtorch.Device;
import org.plugtorch.spi.DeviceInfo;
import org.plugtorch.spi.HostBuffer;
import org.plugtorch.spi.Operand;

/**
 * How the backend starts on every kind of machine: it always constructs, and either serves its devices or reports, in
 * one line, the first thing that was missing; it never touches the driver before the runtime found a device.
 */
class StartupTest {
    private static CudaBackend start(CudaPlatform platform) {
        return new CudaBackend(platform, FakePlatforms.SMALL_CHUNK_BYTES, a -> {});
    }

    private static CudaPlatform runtimeFails(RuntimeException e) {
        return FakePlatforms.of(
                () -> {
                    throw e;
                },
                () -> {
                    throw new AssertionError("the driver must not be touched when the runtime found no device");
                });
    }

    private static void assertUnavailable(CudaBackend b, String... fragments) {
        String reason = b.unavailableReason();
        assertTrue(reason != null && !reason.isBlank(), "a reason is given");
        assertFalse(reason.contains("\n"), "the reason is one line: " + reason);
        for (String f : fragments) {
            assertTrue(reason.contains(f), "'" + reason + "' mentions " + f);
        }
        assertEquals(List.of(), b.devices(), "an unavailable backend lists no device");
        assertEquals("cuda", b.deviceType());
        IllegalStateException e =
                assertThrows(IllegalStateException.class, () -> b.allocate(Device.parse("cuda:0"), DType.FLOAT32, 4));
        assertTrue(e.getMessage().contains(reason), e.getMessage());
    }

    @Test
    void noDriverIsReportedFromTheRuntimeWithoutLoadingTheDriver() {
        CudaBackend b = start(runtimeFails(new CudaException("cudaGetDeviceCount", 35, "cudaErrorInsufficientDriver")));
        assertUnavailable(b, "no CUDA driver", "cudaErrorInsufficientDriver (35)");
    }

    @Test
    void noDeviceIsReported() {
        assertUnavailable(
                start(runtimeFails(new CudaException("cudaGetDeviceCount", 100, "cudaErrorNoDevice"))),
                "no CUDA device",
                "cudaErrorNoDevice");
        assertUnavailable(
                start(FakePlatforms.of(() -> 0, () -> {
                    throw new AssertionError("no device: the driver stays untouched");
                })),
                "no CUDA device");
    }

    @Test
    void missingRuntimeNativesAreReportedInOneLine() {
        String message = "Error while loading native library \"JCudaRuntime-12.6.0-linux-x86_64\"\n"
                + "Stack trace from the attempt to load the library as a resource:\n\tat jcuda.LibUtils...";
        CudaBackend b = start(FakePlatforms.of(
                () -> {
                    throw new UnsatisfiedLinkError(message);
                },
                () -> null));
        assertUnavailable(
                b,
                "JCuda runtime library could not be loaded",
                "UnsatisfiedLinkError",
                "JCudaRuntime-12.6.0-linux-x86_64");
        assertFalse(b.unavailableReason().contains("Stack trace"), b.unavailableReason());
    }

    @Test
    void missingLibcudaIsReported() {
        CudaBackend first = start(FakePlatforms.of(() -> 1, () -> {
            throw new UnsatisfiedLinkError("/tmp/libJCudaDriver-12.6.0-linux-x86_64.so: libcuda.so.1: cannot open "
                    + "shared object file: No such file or directory\nmore lines");
        }));
        assertUnavailable(first, "CUDA driver library could not be loaded", "libcuda.so.1");
        // JCuda's class is then unusable: every later touch is a NoClassDefFoundError, which is caught the same way
        CudaBackend second = start(FakePlatforms.of(() -> 1, () -> {
            throw new NoClassDefFoundError("Could not initialize class jcuda.driver.JCudaDriver");
        }));
        assertUnavailable(second, "NoClassDefFoundError", "jcuda.driver.JCudaDriver");
    }

    @Test
    void failingCuInitIsReported() {
        assertUnavailable(
                start(FakePlatforms.of(() -> 1, () -> {
                    throw new CudaException("cuInit", 999, "CUDA_ERROR_UNKNOWN");
                })),
                "cuInit failed: CUDA_ERROR_UNKNOWN (999)");
    }

    @Test
    void aDriverTooOldForPtxIsa80IsReported() {
        FakeCudaDriver old = new FakeCudaDriver(11080, new FakeCudaDriver.Gpu("Old GPU", 7, 5, 1 << 30, 2));
        assertUnavailable(start(FakePlatforms.on(old)), "CUDA 11.8", "12.0 or later");
    }

    @Test
    void theRealConstructorNeverThrows() {
        CudaBackend b = new CudaBackend();
        assertTrue(
                b.unavailableReason() == null
                        ? !b.devices().isEmpty()
                        : b.devices().isEmpty(),
                b.toString());
    }

    @Test
    void devicesAreListedWithNameComputeCapabilityAndMemory() {
        FakeCudaDriver driver = new FakeCudaDriver(
                13000,
                new FakeCudaDriver.Gpu("Fake H200", 9, 0, 3L << 30, 132),
                new FakeCudaDriver.Gpu("Fake T4", 7, 5, 1L << 30, 40));
        CudaBackend b = FakePlatforms.backend(driver);
        assertNull(b.unavailableReason());
        List<DeviceInfo> devices = b.devices();
        assertEquals(2, devices.size());
        assertEquals(Device.parse("cuda:0"), devices.get(0).device());
        assertEquals("Fake H200", devices.get(0).name());
        assertEquals(3L << 30, devices.get(0).totalMemory());
        assertEquals("9.0", devices.get(0).properties().get("compute capability"));
        assertEquals("132", devices.get(0).properties().get("multiprocessors"));
        assertEquals(Device.parse("cuda:1"), devices.get(1).device());
        assertEquals("7.5", devices.get(1).properties().get("compute capability"));
        assertEquals(0, driver.calls("cuDevicePrimaryCtxRetain"), "contexts are created on first use, not at start");
    }

    @Test
    void aDeviceItDoesNotHaveIsRefusedWithTheOnesItHas() {
        CudaBackend b = FakePlatforms.backend(FakeCudaDriver.oneGpu(1 << 20));
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class, () -> b.allocate(Device.parse("cuda:3"), DType.FLOAT32, 1));
        assertTrue(e.getMessage().contains("cuda:3") && e.getMessage().contains("serves cuda:0"), e.getMessage());
    }

    @Test
    void hostBuffersAreRefused() {
        CudaBackend b = FakePlatforms.backend(FakeCudaDriver.oneGpu(1 << 20));
        HostBuffer host = HostBuffer.allocate(DType.FLOAT32, 4);
        assertThrows(IllegalArgumentException.class, () -> b.copyIn(host, 0, FloatBuffer.allocate(4)));
        assertThrows(IllegalArgumentException.class, () -> b.fill(Operand.contiguous(host, 4), 1));
    }
}
