package org.plugtorch.opencl;

import org.junit.jupiter.api.Assumptions;
import org.plugtorch.Device;

/**
 * One started backend for every test class in the JVM: starting compiles the device program, which is the slow part
 * of the suite. Tests that need a device call {@link #available()}, which reports the test skipped, with the
 * backend's reason, where no OpenCL platform is present; it never lets such a test pass.
 */
final class SharedOpenCl {
    static final Device OPENCL_0 = Device.of("opencl", 0);
    private static OpenClBackend backend;

    private SharedOpenCl() {}

    static synchronized OpenClBackend backend() {
        if (backend == null) {
            backend = new OpenClBackend();
        }
        return backend;
    }

    /** The shared backend, or an aborted (skipped) test naming why OpenCL is unavailable. */
    static OpenClBackend available() {
        OpenClBackend b = backend();
        Assumptions.assumeTrue(b.unavailableReason() == null, () -> "opencl unavailable: " + b.unavailableReason());
        return b;
    }
}
