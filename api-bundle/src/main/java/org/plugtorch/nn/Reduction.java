package org.plugtorch.nn;

/** How a loss combines the losses of its elements: PyTorch's {@code reduction='none' | 'mean' | 'sum'}. */
public enum Reduction {
    /** One loss per element (or per sample), not combined. */
    NONE,
    /** Their (weighted) mean: PyTorch's default. */
    MEAN,
    /** Their sum. */
    SUM;

    /** The value from PyTorch's name: {@code "none"}, {@code "mean"} or {@code "sum"}. */
    public static Reduction of(String name) {
        switch (name) {
            case "none":
                return NONE;
            case "mean":
                return MEAN;
            case "sum":
                return SUM;
            default:
                throw new IllegalArgumentException(name + " is not a valid value for reduction");
        }
    }

    /** PyTorch's name: {@code "mean"}. */
    public String pyName() {
        return name().toLowerCase();
    }
}
