package org.plugtorch.cuda;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Brings CUDA up, or says in one line why it cannot: no JCuda natives, no driver, no device, a driver too old for
 * the kernels. Nothing here throws: missing native libraries surface as {@link LinkageError}s (an
 * {@link UnsatisfiedLinkError} first, then {@link NoClassDefFoundError} on every later touch of the class), and
 * those are caught like CUDA errors, so that a machine without a GPU still gets a registered backend that reports
 * itself unavailable.
 */
final class CudaStartup {
    /** PTX ISA 8.0, which the committed kernels declare, is loaded by drivers of CUDA 12.0 and later. */
    static final int MINIMUM_DRIVER_VERSION = 12000;

    /** A started driver and the properties of its devices, or the reason there are none. */
    static final class Outcome {
        final CudaDriver driver;
        final List<DeviceProperties> devices;
        final String reason;

        private Outcome(CudaDriver driver, List<DeviceProperties> devices, String reason) {
            this.driver = driver;
            this.devices = devices;
            this.reason = reason;
        }

        static Outcome unavailable(String reason) {
            return new Outcome(null, List.of(), reason);
        }
    }

    private CudaStartup() {}

    static Outcome start(CudaPlatform platform) {
        int count;
        try {
            count = platform.runtimeDeviceCount();
        } catch (CudaException e) {
            return Outcome.unavailable(runtimeFailure(e));
        } catch (LinkageError | RuntimeException e) {
            return Outcome.unavailable("the JCuda runtime library could not be loaded: " + firstLine(e));
        }
        if (count == 0) {
            return Outcome.unavailable("no CUDA device (cudaGetDeviceCount found none)");
        }
        try {
            CudaDriver driver = platform.openDriver();
            int version = driver.driverVersion();
            if (version < MINIMUM_DRIVER_VERSION) {
                return Outcome.unavailable("the CUDA driver supports CUDA " + CudaVersions.format(version)
                        + "; the kernels (PTX ISA 8.0) need a driver for CUDA 12.0 or later");
            }
            int devices = driver.deviceCount();
            if (devices == 0) {
                return Outcome.unavailable("no CUDA device (cuDeviceGetCount found none)");
            }
            List<DeviceProperties> properties = new ArrayList<>();
            for (int i = 0; i < devices; i++) {
                properties.add(driver.properties(i));
            }
            return new Outcome(driver, Collections.unmodifiableList(properties), null);
        } catch (CudaException e) {
            return Outcome.unavailable("the CUDA driver could not start: " + e.getMessage());
        } catch (LinkageError | RuntimeException e) {
            return Outcome.unavailable("the CUDA driver library could not be loaded: " + firstLine(e));
        }
    }

    private static String runtimeFailure(CudaException e) {
        switch (e.error()) {
            case "cudaErrorInsufficientDriver":
                return "no CUDA driver, or one older than JCuda's CUDA 12.6 runtime (" + e.getMessage() + ")";
            case "cudaErrorNoDevice":
                return "no CUDA device (" + e.getMessage() + ")";
            default:
                return "the CUDA runtime reports " + e.getMessage();
        }
    }

    /**
     * The first line of a throwable's message: JCuda's {@link UnsatisfiedLinkError}s carry every attempt's stack
     * trace in their message, and an unavailable backend's reason is one line.
     */
    static String firstLine(Throwable t) {
        String message = t.getMessage();
        if (message == null || message.isBlank()) {
            return t.getClass().getName();
        }
        String line = message.strip().lines().findFirst().orElse("").strip();
        return t.getClass().getSimpleName() + ": " + line;
    }
}
