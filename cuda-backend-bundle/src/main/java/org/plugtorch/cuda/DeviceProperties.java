package org.plugtorch.cuda;

/** What the driver says about one device. */
final class DeviceProperties {
    final String name;
    final int major;
    final int minor;
    final long totalMemory;
    final int multiprocessors;

    DeviceProperties(String name, int major, int minor, long totalMemory, int multiprocessors) {
        this.name = name;
        this.major = major;
        this.minor = minor;
        this.totalMemory = totalMemory;
        this.multiprocessors = multiprocessors;
    }

    /** {@code 9.0} for an H100 or H200. */
    String computeCapability() {
        return major + "." + minor;
    }
}
