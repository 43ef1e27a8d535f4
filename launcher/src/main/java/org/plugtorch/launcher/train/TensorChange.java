package org.plugtorch.launcher.train;

/** How one named tensor of a module fared between two snapshots. */
public final class TensorChange {
    /** What the tensor is to its module, which decides whether it is trained, saved and moved. */
    public enum Kind {
        /** Registered parameter: trained, saved, moved. */
        PARAMETER,
        /** Registered buffer: saved (unless non-persistent), moved, never trained. */
        BUFFER,
        /** A plain tensor field: not registered, so not trained, saved or moved. */
        PLAIN
    }

    private final String name;
    private final Kind kind;
    private final double maxAbsChange;
    private final String deviceBefore;
    private final String deviceAfter;

    TensorChange(String name, Kind kind, double maxAbsChange, String deviceBefore, String deviceAfter) {
        this.name = name;
        this.kind = kind;
        this.maxAbsChange = maxAbsChange;
        this.deviceBefore = deviceBefore;
        this.deviceAfter = deviceAfter;
    }

    public String name() {
        return name;
    }

    public Kind kind() {
        return kind;
    }

    /** True when any element differs. */
    public boolean changed() {
        return maxAbsChange != 0;
    }

    /** The largest absolute change of an element (NaN when a value became NaN). */
    public double maxAbsChange() {
        return maxAbsChange;
    }

    public String deviceBefore() {
        return deviceBefore;
    }

    public String deviceAfter() {
        return deviceAfter;
    }

    @Override
    public String toString() {
        return name + " (" + kind.name().toLowerCase() + "): "
                + (changed() ? "changed, by up to " + maxAbsChange : "unchanged") + ", "
                + (deviceBefore.equals(deviceAfter)
                        ? "on " + deviceAfter
                        : "moved " + deviceBefore + " -> " + deviceAfter);
    }
}
