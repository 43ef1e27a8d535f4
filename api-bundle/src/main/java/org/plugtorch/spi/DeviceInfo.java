package org.plugtorch.spi;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import org.plugtorch.Device;

/** What a backend says about one of its devices: its name, its memory and any backend-specific facts. */
public final class DeviceInfo {
    private final Device device;
    private final String name;
    private final long totalMemory;
    private final Map<String, String> properties;

    /**
     * @param totalMemory bytes of memory on the device, or -1 when unknown
     * @param properties  backend-specific facts in display order (vendor, compute capability, ...)
     */
    public DeviceInfo(Device device, String name, long totalMemory, Map<String, String> properties) {
        this.device = device;
        this.name = name;
        this.totalMemory = totalMemory;
        this.properties = Collections.unmodifiableMap(new LinkedHashMap<>(properties));
    }

    public Device device() {
        return device;
    }

    public String name() {
        return name;
    }

    /** Bytes, or -1 when unknown. */
    public long totalMemory() {
        return totalMemory;
    }

    public Map<String, String> properties() {
        return properties;
    }

    @Override
    public String toString() {
        return device + " (" + name + ")";
    }
}
