package org.plugtorch.opencl;

import com.aparapi.device.OpenCLDevice;
import com.aparapi.internal.opencl.OpenCLLoader;
import java.util.ArrayList;
import java.util.List;
import org.plugtorch.Device;

/**
 * Finds the OpenCL devices and starts each: every device of every platform, numbered {@code opencl:0},
 * {@code opencl:1}, ... in the order the ICD loader lists them, which is stable for one machine. Nothing here throws:
 * Aparapi's native library may fail to load (no {@code libOpenCL.so.1}), the loader may find no platform, a device's
 * compiler may reject the program; each outcome becomes a one-line reason.
 */
final class OpenClPlatforms {
    /** The devices that started, and why the others (or all) did not. */
    static final class Startup {
        final List<ClDevice> devices = new ArrayList<>();
        final List<String> failures = new ArrayList<>();
        /** Null when at least one device started. */
        String unavailableReason;
        /** What protects the JVM's signal handlers from the platform's compiler. */
        SignalGuard signals;
    }

    private OpenClPlatforms() {}

    static Startup start(AparapiLog log) {
        SignalGuard guard = SignalGuard.beforePlatformLoads();
        try {
            return start(log, guard);
        } finally {
            guard.close();
        }
    }

    private static Startup start(AparapiLog log, SignalGuard guard) {
        Startup s = new Startup();
        List<OpenCLDevice> found;
        s.signals = guard;
        try {
            if (!OpenCLLoader.isOpenCLAvailable()) {
                s.unavailableReason = "Aparapi's native library did not load (is the OpenCL ICD loader, "
                        + "libOpenCL.so.1 from ocl-icd-libopencl1, installed?)" + aparapiSays(log);
                return s;
            }
            found = OpenCLDevice.listDevices(null);
        } catch (Throwable t) {
            s.unavailableReason = "OpenCL could not be queried: " + firstLine(t);
            return s;
        }
        if (found.isEmpty()) {
            s.unavailableReason = "no OpenCL platform with a device was found (the ICD loader lists none; "
                    + "on Debian, pocl-opencl-icd provides one that runs on the CPU)";
            return s;
        }
        // the platforms' libraries are loaded now, and nothing is compiled yet: an LLVM among them must not take the
        // JVM's signal handlers when it compiles (see SignalGuard)
        String unsafe = guard.protect();
        if (unsafe != null && !guard.chained() && !Boolean.getBoolean(SignalGuard.ALLOW_UNPROTECTED)) {
            s.unavailableReason = "the JVM's signal handlers cannot be protected from the OpenCL platform's compiler ("
                    + unsafe + "): " + SignalGuard.FIX;
            return s;
        }
        for (int i = 0; i < found.size(); i++) {
            Device device = Device.of("opencl", i);
            OpenCLDevice cl = found.get(i);
            try {
                s.devices.add(ClDevice.start(device, cl, log));
            } catch (Throwable t) {
                s.failures.add(device + " (" + cl.getName() + "): " + firstLine(t) + aparapiSays(log));
            }
        }
        if (s.devices.isEmpty()) {
            s.unavailableReason = "no OpenCL device could run the backend's kernels: " + String.join("; ", s.failures);
            return s;
        }
        String replaced = guard.verify();
        if (replaced != null && !guard.chained() && !Boolean.getBoolean(SignalGuard.ALLOW_UNPROTECTED)) {
            s.devices.forEach(ClDevice::close);
            s.devices.clear();
            s.unavailableReason = "the OpenCL platform's compiler replaced the JVM's signal handlers (" + replaced
                    + "): " + SignalGuard.FIX;
        }
        return s;
    }

    private static String aparapiSays(AparapiLog log) {
        String w = log.lastWarning();
        return w == null ? "" : " (Aparapi: " + w + ")";
    }

    /** A throwable's first line: native errors can carry pages of nested traces. */
    static String firstLine(Throwable t) {
        String s = String.valueOf(t);
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }
}
