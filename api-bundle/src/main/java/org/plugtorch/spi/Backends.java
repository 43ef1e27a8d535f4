package org.plugtorch.spi;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import org.plugtorch.Device;

/**
 * The device registry: which backend serves which device, now. Two paths feed it: on a plain classpath,
 * {@link java.util.ServiceLoader} discovery of {@link Backend} implementations (run once, on first use, through this
 * API's own class loader and the thread's context loader); under OSGi, the framework's service registry (a tracker
 * calls {@link #register} and {@link #unregister} as backend bundles come and go).
 *
 * <p>When two backends serve one device type, the one with the higher ranking serves it (OSGi's
 * {@code service.ranking}); between equal rankings, the one registered first.
 */
public final class Backends {
    private static final class Entry {
        final Backend backend;
        final int ranking;
        final long order;

        Entry(Backend backend, int ranking, long order) {
            this.backend = backend;
            this.ranking = ranking;
            this.order = order;
        }
    }

    private static final Comparator<Entry> PRECEDENCE =
            Comparator.<Entry>comparingInt(e -> -e.ranking).thenComparingLong(e -> e.order);

    private static final System.Logger LOG = System.getLogger(Backends.class.getName());
    private static final CopyOnWriteArrayList<Entry> ENTRIES = new CopyOnWriteArrayList<>();
    private static long sequence;
    private static volatile boolean discovered;

    private Backends() {
    }

    /** Makes a backend's devices usable, with ranking 0. */
    public static void register(Backend backend) {
        register(backend, 0);
    }

    /** Makes a backend's devices usable; a higher ranking takes precedence for the same device type. */
    public static synchronized void register(Backend backend, int ranking) {
        for (Entry e : ENTRIES) {
            if (e.backend == backend) {
                return;
            }
        }
        ENTRIES.add(new Entry(backend, ranking, sequence++));
    }

    /** Removes a backend; its device type falls to the next backend serving it, if any. */
    public static synchronized void unregister(Backend backend) {
        ENTRIES.removeIf(e -> e.backend == backend);
    }

    /** Every registered backend, available or not, in precedence order. */
    public static List<Backend> all() {
        discover();
        return ENTRIES.stream().sorted(PRECEDENCE).map(e -> e.backend).collect(Collectors.toList());
    }

    /** The devices that some available backend serves now, {@code cpu} first. */
    public static List<Device> devices() {
        List<Device> out = new ArrayList<>();
        for (Backend b : all()) {
            if (b.unavailableReason() == null && b == serving(b.deviceType())) {
                b.devices().forEach(info -> out.add(info.device()));
            }
        }
        out.sort(Comparator.comparing((Device d) -> !d.isCpu()).thenComparing(Device::type).thenComparingInt(Device::index));
        return out;
    }

    /**
     * The backend serving {@code device}.
     *
     * @throws IllegalStateException naming the device, the reason it is not served, and the devices that exist
     */
    public static Backend forDevice(Device device) {
        Backend b = serving(device.type());
        if (b != null && b.unavailableReason() == null) {
            for (DeviceInfo info : b.devices()) {
                if (info.device().equals(device)) {
                    return b;
                }
            }
        }
        String why;
        if (b == null) {
            List<Backend> unavailable = all().stream().filter(x -> x.deviceType().equals(device.type()))
                    .collect(Collectors.toList());
            why = unavailable.isEmpty() ? "no backend for device type '" + device.type() + "' is installed"
                    : unavailable.get(0).unavailableReason();
        } else if (b.unavailableReason() != null) {
            why = b.unavailableReason();
        } else {
            why = "its backend serves " + b.devices().size() + " " + device.type() + " device(s)";
        }
        throw new IllegalStateException("device '" + device + "' is not available (" + why
                + "); available devices: " + devices().stream().map(Device::toString).collect(Collectors.joining(", ")));
    }

    private static Backend serving(String type) {
        discover();
        Entry best = null;
        for (Entry e : ENTRIES) {
            if (e.backend.deviceType().equals(type) && e.backend.unavailableReason() == null
                    && (best == null || PRECEDENCE.compare(e, best) < 0)) {
                best = e;
            }
        }
        return best == null ? null : best.backend;
    }

    private static void discover() {
        if (discovered) {
            return;
        }
        synchronized (Backends.class) {
            if (discovered) {
                return;
            }
            discovered = true;
            load(Backend.class.getClassLoader());
            ClassLoader context = Thread.currentThread().getContextClassLoader();
            if (context != null && context != Backend.class.getClassLoader()) {
                load(context);
            }
        }
    }

    private static void load(ClassLoader loader) {
        Iterator<ServiceLoader.Provider<Backend>> providers = ServiceLoader.load(Backend.class, loader).stream().iterator();
        while (true) {
            try {
                if (!providers.hasNext()) {
                    return;
                }
                ServiceLoader.Provider<Backend> p = providers.next();
                Class<? extends Backend> type = p.type();
                if (ENTRIES.stream().noneMatch(e -> e.backend.getClass() == type)) {
                    register(p.get());
                }
            } catch (ServiceConfigurationError | LinkageError e) {
                // one broken backend on the classpath must not take the others (or the CPU) down with it
                LOG.log(System.Logger.Level.WARNING, "skipping a backend that failed to load: " + e);
            }
        }
    }
}
