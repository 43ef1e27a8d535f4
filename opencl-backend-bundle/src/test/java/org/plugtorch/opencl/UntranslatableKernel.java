package org.plugtorch.opencl;

import com.aparapi.Kernel;
import com.aparapi.device.Device;
import com.aparapi.device.OpenCLDevice;

/**
 * A kernel Aparapi cannot translate to OpenCL (it calls into java.lang.String), so Aparapi runs its Java code on a
 * thread pool instead and says nothing to the caller: the silent fallback {@link LaunchGuard} exists to catch.
 * {@link #ran} shows that the Java code did run.
 */
final class UntranslatableKernel extends Kernel {
    final int[] ran = new int[1];
    private final OpenCLDevice device;

    UntranslatableKernel(OpenCLDevice device) {
        this.device = device;
    }

    @Override
    public boolean isAllowDevice(Device candidate) {
        return candidate instanceof OpenCLDevice && ((OpenCLDevice) candidate).getDeviceId() == device.getDeviceId();
    }

    @Override
    public void run() {
        ran[0] = String.valueOf(getGlobalId()).length();
    }
}
