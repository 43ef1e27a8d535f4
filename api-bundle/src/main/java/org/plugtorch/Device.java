package org.plugtorch;

import static org.plugtorch.spi.Preconditions.checkArgument;

import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A device as PyTorch names it: {@code cpu}, {@code cuda:0}, {@code opencl:1}.
 *
 * <p>The type is any lower-case identifier, because backends are plugged in at run time; whether some backend
 * serves a device is decided when it is used, not when it is parsed. {@code cuda} means {@code cuda:0}; the CPU has a
 * single device and prints as {@code cpu} (PyTorch's tensors report {@code cpu}, never {@code cpu:0}).
 */
public final class Device {
    private static final Pattern SYNTAX = Pattern.compile("([a-z][a-z0-9_]*)(?::(.*))?");

    /** The host. */
    public static final Device CPU = new Device("cpu", 0);

    private final String type;
    private final int index;

    private Device(String type, int index) {
        this.type = type;
        this.index = index;
    }

    /** {@code Device.of("cuda", 1)} is {@code cuda:1}. */
    public static Device of(String type, int index) {
        Objects.requireNonNull(type, "device type");
        checkArgument(
                SYNTAX.matcher(type).matches() && !type.contains(":"), () -> "Invalid device type: '" + type + "'");
        checkArgument(index >= 0, "Device index must not be negative");
        if (type.equals("cpu")) {
            checkArgument(index == 0, () -> "CPU device index must be 0, got " + index);
            return CPU;
        }
        return new Device(type, index);
    }

    /**
     * Parses {@code cpu}, {@code cuda}, {@code cuda:0}, {@code opencl:1}, exactly as PyTorch's {@code torch.device}
     * does: nothing is trimmed (a space, a newline or a NUL makes the string invalid) and an index is {@code 0} or
     * digits without a leading zero.
     */
    public static Device parse(String spec) {
        checkArgument(spec != null, "device string should be a string. Got null");
        Matcher m = SYNTAX.matcher(spec);
        if (!m.matches()) {
            throw invalid(spec);
        }
        String idx = m.group(2);
        if (idx == null) {
            return of(m.group(1), 0);
        }
        if (!idx.matches("0|[1-9][0-9]*")) {
            throw invalid(spec);
        }
        try {
            return of(m.group(1), Integer.parseInt(idx));
        } catch (NumberFormatException e) {
            throw invalid(spec);
        }
    }

    /** PyTorch's error, with control characters shown as escapes rather than printed. */
    private static IllegalArgumentException invalid(String spec) {
        StringBuilder shown = new StringBuilder();
        spec.codePoints().forEach(cp -> {
            if (Character.isISOControl(cp)) {
                shown.append(String.format("\\u%04x", cp));
            } else {
                shown.appendCodePoint(cp);
            }
        });
        return new IllegalArgumentException("Invalid device string: '" + shown + "'");
    }

    /** {@code cpu}, {@code cuda}, {@code opencl}. */
    public String type() {
        return type;
    }

    /** The device's index among those of its type; 0 for the CPU. */
    public int index() {
        return index;
    }

    public boolean isCpu() {
        return this == CPU;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Device && ((Device) o).type.equals(type) && ((Device) o).index == index;
    }

    @Override
    public int hashCode() {
        return type.hashCode() * 31 + index;
    }

    /** The canonical name: {@code cpu} or {@code type:index}. */
    @Override
    public String toString() {
        return isCpu() ? "cpu" : type + ":" + index;
    }
}
