package org.plugtorch;

import java.util.List;

/**
 * A device appeared ({@link Kind#ADDED}) or went away ({@link Kind#REMOVED}). A removal lists every tensor that was
 * evacuated from the device to the CPU before its backend went, and says why the backend left.
 */
public final class DeviceEvent {
    /** What happened. */
    public enum Kind {
        ADDED,
        REMOVED
    }

    private final Kind kind;
    private final List<Device> devices;
    private final String backend;
    private final String reason;
    private final List<TensorMove> moved;
    private final long bytesMoved;

    public DeviceEvent(
            Kind kind, List<Device> devices, String backend, String reason, List<TensorMove> moved, long bytesMoved) {
        this.kind = kind;
        this.devices = List.copyOf(devices);
        this.backend = backend;
        this.reason = reason;
        this.moved = List.copyOf(moved);
        this.bytesMoved = bytesMoved;
    }

    public Kind kind() {
        return kind;
    }

    /** The devices the backend served. */
    public List<Device> devices() {
        return devices;
    }

    /** The backend, as it describes itself (its class, and its bundle under OSGi). */
    public String backend() {
        return backend;
    }

    /** Why: {@code registered}, or why the backend left ({@code bundle opencl-backend-bundle 0.1.0 stopping}). */
    public String reason() {
        return reason;
    }

    /** The tensors evacuated to the CPU, for a removal; empty for an addition. */
    public List<TensorMove> moved() {
        return moved;
    }

    /** Bytes of storage copied to the host by the evacuation. */
    public long bytesMoved() {
        return bytesMoved;
    }

    @Override
    public String toString() {
        return kind + " " + devices + " (" + backend + "): " + reason
                + (kind == Kind.REMOVED
                        ? "; " + moved.size() + " tensor(s), " + bytesMoved + " bytes evacuated to cpu"
                        : "");
    }
}
