package org.plugtorch.opencl;

import com.aparapi.Kernel;
import com.aparapi.Range;
import com.aparapi.device.Device;
import com.aparapi.device.OpenCLDevice;

/**
 * Runs a kernel and proves that it ran on its OpenCL device. Aparapi falls back silently: when a kernel cannot run on
 * OpenCL it logs a warning, marks the device failed for the kernel's class and runs the kernel's Java code on a
 * thread pool instead ({@code getExecutionMode()} keeps saying AUTO). What tells the truth is the kernel's target
 * device afterwards, {@link Kernel#isRunningCL()} and {@link Kernel#getTargetDevice()}; a kernel that vetoes every
 * other device ({@link DeviceProgram#isAllowDevice}) has no OpenCL device left to move to.
 *
 * <p>Checked before a launch too, so that once a device has failed, later calls fail at once instead of running Java
 * code first. A launch that did not run on the device is an {@link IllegalStateException} naming what was run and
 * the device: never a result.
 */
final class LaunchGuard {
    private final String device;
    private final AparapiLog log;

    /** @param device how errors name the device: {@code opencl:0 (name)} */
    LaunchGuard(String device, AparapiLog log) {
        this.device = device;
        this.log = log;
    }

    /** Executes {@code kernel} over {@code range} on {@code target}, or throws naming {@code what}. */
    void launch(Kernel kernel, OpenCLDevice target, Range range, String what) {
        requireOnDevice(kernel, target, what, "before launch");
        try {
            kernel.execute(range);
        } catch (RuntimeException | LinkageError e) {
            throw new IllegalStateException(device + ": " + what + " failed in Aparapi: " + e, e);
        }
        requireOnDevice(kernel, target, what, "after launch");
    }

    /** Throws unless Aparapi still means to run {@code kernel} on {@code target}. */
    void requireOnDevice(Kernel kernel, OpenCLDevice target, String what, String when) {
        Device now = kernel.getTargetDevice();
        if (!kernel.isRunningCL() || ((OpenCLDevice) now).getDeviceId() != target.getDeviceId()) {
            String warning = log.lastWarning();
            throw new IllegalStateException(device + ": " + what + " did not run on the OpenCL device (" + when
                    + ", Aparapi's target is " + describe(now) + (warning == null ? "" : "; Aparapi: " + warning)
                    + "); no result is taken from another device");
        }
    }

    private static String describe(Device d) {
        if (d == null) {
            return "none: it marked the device failed and would run the kernel's Java code on a thread pool";
        }
        return d instanceof OpenCLDevice
                ? "OpenCL device '" + ((OpenCLDevice) d).getName() + "'"
                : d.getShortDescription();
    }
}
