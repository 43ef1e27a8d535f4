package org.plugtorch.io;

import java.util.Objects;
import java.util.function.Function;
import org.plugtorch.Device;

/**
 * How to read a checkpoint: where tensors go (PyTorch's {@code map_location}), whether float16/bfloat16 widen to
 * float32, whether a module load is strict, and a key prefix to strip ({@code module.} from DataParallel).
 * Immutable; each {@code with}-style method returns a changed copy.
 */
public final class LoadOptions {
    private static final LoadOptions DEFAULTS = new LoadOptions(null, false, true, null);

    private final Function<String, Device> mapLocation;
    private final boolean widenHalfPrecision;
    private final boolean strict;
    private final String stripPrefix;

    private LoadOptions(
            Function<String, Device> mapLocation, boolean widenHalfPrecision, boolean strict, String stripPrefix) {
        this.mapLocation = mapLocation;
        this.widenHalfPrecision = widenHalfPrecision;
        this.strict = strict;
        this.stripPrefix = stripPrefix;
    }

    /**
     * Tensors go where they were saved (torch files record a location; safetensors files do not, and load onto the
     * CPU, as {@code safetensors.torch.load_file} does); half-precision floats are refused; loads are strict; keys are
     * kept as they are.
     */
    public static LoadOptions defaults() {
        return DEFAULTS;
    }

    /** Every tensor onto {@code device} ({@code map_location=device}). */
    public LoadOptions mapLocation(Device device) {
        Objects.requireNonNull(device, "device");
        return mapLocation(location -> device);
    }

    /**
     * Each tensor onto the device that {@code map} gives for the location it was saved at ({@code "cpu"},
     * {@code "cuda:0"}; safetensors tensors are at {@code "cpu"}), like PyTorch's dict or callable
     * {@code map_location}; where {@code map} returns null, the tensor goes where it was saved.
     */
    public LoadOptions mapLocation(Function<String, Device> map) {
        Objects.requireNonNull(map, "map");
        return new LoadOptions(map, widenHalfPrecision, strict, stripPrefix);
    }

    /** float16 and bfloat16 tensors read as float32 (exactly: every such value is a float32). */
    public LoadOptions widenHalfPrecision(boolean widen) {
        return new LoadOptions(mapLocation, widen, strict, stripPrefix);
    }

    /** Module loads: missing and unexpected keys are errors ({@code true}, the default) or returned. */
    public LoadOptions strict(boolean strict) {
        return new LoadOptions(mapLocation, widenHalfPrecision, strict, stripPrefix);
    }

    /**
     * Keys starting with {@code prefix} lose it (others stay), as PyTorch's
     * {@code consume_prefix_in_state_dict_if_present}: {@code stripPrefix("module.")} reads what DataParallel saved.
     */
    public LoadOptions stripPrefix(String prefix) {
        Objects.requireNonNull(prefix, "prefix");
        return new LoadOptions(mapLocation, widenHalfPrecision, strict, prefix.isEmpty() ? null : prefix);
    }

    /** The device for a tensor saved at {@code location}, or null when no mapping was given. */
    Device mapped(String location) {
        return mapLocation == null ? null : mapLocation.apply(location);
    }

    boolean widenHalfPrecision() {
        return widenHalfPrecision;
    }

    boolean strict() {
        return strict;
    }

    /** The prefix to strip, or null. */
    String stripPrefix() {
        return stripPrefix;
    }
}
