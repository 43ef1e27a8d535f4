package org.plugtorch.opencl;

/** The running counts behind {@link TransferStats}; updated under the device's lock, read from any thread. */
final class TransferCounter {
    private long hostToDevice;
    private long hostToDeviceBytes;
    private long deviceToHost;
    private long deviceToHostBytes;
    private long arenaRoundTrips;
    private long arenaRoundTripBytes;
    private long launches;
    private long planBytes;

    synchronized void hostToDevice(long bytes) {
        hostToDevice++;
        hostToDeviceBytes += bytes;
    }

    synchronized void deviceToHost(long bytes) {
        deviceToHost++;
        deviceToHostBytes += bytes;
    }

    synchronized void arenaRoundTrip(long bytes) {
        arenaRoundTrips++;
        arenaRoundTripBytes += bytes;
    }

    synchronized void launch(long planBytes) {
        launches++;
        this.planBytes += planBytes;
    }

    synchronized TransferStats snapshot() {
        return new TransferStats(
                hostToDevice,
                hostToDeviceBytes,
                deviceToHost,
                deviceToHostBytes,
                arenaRoundTrips,
                arenaRoundTripBytes,
                launches,
                planBytes);
    }
}
