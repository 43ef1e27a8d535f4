package org.plugtorch;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * Hears when devices appear and go: a backend registered, or a backend leaving after its tensors were evacuated.
 * Register with {@code org.plugtorch.registry.Backends.addListener}. Listeners run after the change is complete, on the
 * thread that made it (the one stopping a bundle, for instance); they may use tensors.
 */
@ConsumerType
@FunctionalInterface
public interface DeviceListener {
    void deviceChanged(DeviceEvent event);
}
