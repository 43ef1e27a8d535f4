package org.plugtorch.opencl;

/**
 * What one OpenCL device has moved across the host boundary since its backend started, and how many kernels it ran:
 * the evidence that tensors stay on the device between ops. Tensor data crosses only in {@code copyIn} and
 * {@code copyOut}; an arena that grows crosses whole (read back, then re-bound); every launch also writes its plan,
 * a few hundred bytes of shapes and strides, which is counted apart.
 */
public final class TransferStats {
    /** Host to device copies of tensor data ({@code copyIn}), and their bytes. */
    public final long hostToDevice;

    public final long hostToDeviceBytes;
    /** Device to host copies of tensor data ({@code copyOut}), and their bytes. */
    public final long deviceToHost;

    public final long deviceToHostBytes;
    /** Arena growths that had to carry live data across the host (read back, then uploaded whole), and their bytes. */
    public final long arenaRoundTrips;

    public final long arenaRoundTripBytes;
    /** Kernel launches, and the plan writes that go with them. */
    public final long launches;

    public final long planBytes;

    TransferStats(
            long hostToDevice,
            long hostToDeviceBytes,
            long deviceToHost,
            long deviceToHostBytes,
            long arenaRoundTrips,
            long arenaRoundTripBytes,
            long launches,
            long planBytes) {
        this.hostToDevice = hostToDevice;
        this.hostToDeviceBytes = hostToDeviceBytes;
        this.deviceToHost = deviceToHost;
        this.deviceToHostBytes = deviceToHostBytes;
        this.arenaRoundTrips = arenaRoundTrips;
        this.arenaRoundTripBytes = arenaRoundTripBytes;
        this.launches = launches;
        this.planBytes = planBytes;
    }

    /** What happened between {@code earlier} and this. */
    public TransferStats since(TransferStats earlier) {
        return new TransferStats(
                hostToDevice - earlier.hostToDevice,
                hostToDeviceBytes - earlier.hostToDeviceBytes,
                deviceToHost - earlier.deviceToHost,
                deviceToHostBytes - earlier.deviceToHostBytes,
                arenaRoundTrips - earlier.arenaRoundTrips,
                arenaRoundTripBytes - earlier.arenaRoundTripBytes,
                launches - earlier.launches,
                planBytes - earlier.planBytes);
    }

    @Override
    public String toString() {
        return "host->device " + hostToDevice + " (" + hostToDeviceBytes + " B), device->host " + deviceToHost + " ("
                + deviceToHostBytes + " B), arena round trips " + arenaRoundTrips + " (" + arenaRoundTripBytes
                + " B), launches " + launches + " (plans " + planBytes + " B)";
    }
}
