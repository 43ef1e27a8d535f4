package org.plugtorch.registry;

import java.util.List;
import org.plugtorch.Device;
import org.plugtorch.DeviceListener;
import org.plugtorch.internal.runtime.Registry;
import org.plugtorch.spi.Backend;

/**
 * The device registry: which backend serves which device, now. Two paths feed it: on a plain classpath,
 * {@link java.util.ServiceLoader} discovery of {@link Backend} implementations (run once, on first use, through this
 * API's own class loader and the thread's context loader); under OSGi, a tracker in the API bundle that follows the
 * framework's {@code Backend} services as backend bundles come and go. (A launcher that embeds OSGi and wants
 * backends only from the framework sets the system property {@code plugtorch.osgi=true}.)
 *
 * <p>When two backends serve one device type, the one with the higher ranking serves it (OSGi's
 * {@code service.ranking}); between equal rankings, the one registered first.
 *
 * <h2>A backend leaving, and operations in flight</h2>
 * {@link #unregister} first waits for every tensor operation in flight to finish (operations run under a shared
 * lock that adding and removing backends take exclusively), then moves every live tensor on the backend's devices
 * to the CPU: the same {@code Tensor} and {@code Parameter} objects, with their values, gradients and any optimizer
 * state, because what moves is the storage under them. Only then is the backend forgotten. Operations that were
 * about to start wait for the evacuation and then run on the CPU, where their tensors now are; an operation that
 * names the departed device explicitly (creating a tensor there, say) fails with an error naming the devices that
 * exist. No operation ever sees freed or moved device memory. Listeners hear of each change afterwards.
 */
public final class Backends {
    private Backends() {}

    /** Makes a backend's devices usable, with ranking 0. */
    public static void register(Backend backend) {
        register(backend, 0);
    }

    /** Makes a backend's devices usable; a higher ranking takes precedence for the same device type. */
    public static void register(Backend backend, int ranking) {
        register(backend, ranking, backend.getClass().getName());
    }

    /** As {@link #register(Backend, int)}, with a description for events and listings (its bundle, under OSGi). */
    public static void register(Backend backend, int ranking, String description) {
        Registry.register(backend, ranking, description);
    }

    /** Evacuates the backend's tensors to the CPU and removes it; its device type falls to the next backend, if any. */
    public static void unregister(Backend backend) {
        unregister(backend, "unregistered");
    }

    /** As {@link #unregister(Backend)}, saying why (the reason reaches listeners). */
    public static void unregister(Backend backend, String reason) {
        Registry.unregister(backend, reason);
    }

    /** Every registered backend, available or not, in precedence order. */
    public static List<Backend> all() {
        return Registry.all();
    }

    /** How a registered backend describes itself (its class, and its bundle and version under OSGi). */
    public static String describe(Backend backend) {
        return Registry.describe(backend);
    }

    /** The devices that some available backend serves now, {@code cpu} first. */
    public static List<Device> devices() {
        return Registry.devices();
    }

    /**
     * The backend serving {@code device}.
     *
     * @throws IllegalStateException naming the device, the reason it is not served, and the devices that exist
     */
    public static Backend forDevice(Device device) {
        return Registry.forDevice(device);
    }

    /** Hears devices appear and go, with the tensors each departure evacuated. */
    public static void addListener(DeviceListener listener) {
        Registry.addListener(listener);
    }

    public static void removeListener(DeviceListener listener) {
        Registry.removeListener(listener);
    }
}
