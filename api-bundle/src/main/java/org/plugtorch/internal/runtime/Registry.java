package org.plugtorch.internal.runtime;

import static org.plugtorch.spi.Preconditions.checkState;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.stream.Collectors;
import org.plugtorch.Device;
import org.plugtorch.DeviceEvent;
import org.plugtorch.DeviceListener;
import org.plugtorch.spi.Backend;
import org.plugtorch.spi.DeviceInfo;

/**
 * The device registry behind {@link org.plugtorch.registry.Backends} (this package is not exported: it is shared by
 * the API's own packages only).
 *
 * <p><b>The gate.</b> Every tensor operation runs under the read side of one lock; adding and removing a backend run
 * under the write side. So a backend that leaves waits for the operations in flight to finish, then its tensors are
 * evacuated while no operation runs, and operations that were waiting then find those tensors on the CPU. No
 * operation ever sees a buffer that was freed or moved under it.
 */
public final class Registry {
    private static final class Resolution {
        final int generation;
        final Backend backend;

        Resolution(int generation, Backend backend) {
            this.generation = generation;
            this.backend = backend;
        }
    }

    private static final class Entry {
        final Backend backend;
        final int ranking;
        final long order;
        final String description;

        Entry(Backend backend, int ranking, long order, String description) {
            this.backend = backend;
            this.ranking = ranking;
            this.order = order;
            this.description = description;
        }
    }

    private static final Comparator<Entry> PRECEDENCE =
            Comparator.<Entry>comparingInt(e -> -e.ranking).thenComparingLong(e -> e.order);
    private static final System.Logger LOG = System.getLogger("org.plugtorch.registry.Backends");
    private static final ReentrantReadWriteLock GATE = new ReentrantReadWriteLock();
    private static final CopyOnWriteArrayList<Entry> ENTRIES = new CopyOnWriteArrayList<>();
    private static final CopyOnWriteArrayList<DeviceListener> LISTENERS = new CopyOnWriteArrayList<>();
    /**
     * Bumped (under the gate's write side) whenever a backend comes or goes: a resolution remembered under an older
     * generation is stale.
     */
    private static volatile int generation;
    /**
     * The backend each device resolved to, per generation. Every operation resolves its device, and asking a
     * backend for its {@code devices()} (a list it may build afresh on every call) would cost more than many
     * small kernels; so the answer is kept until the registry changes.
     */
    private static final ConcurrentHashMap<Device, Resolution> RESOLVED = new ConcurrentHashMap<>();
    /** The CPU's resolution, apart: most operations run there, and a field is cheaper than a map. */
    private static volatile Resolution cpu;

    private static long sequence;
    private static volatile boolean discovered;

    private Registry() {}

    /** The read side of the gate: held by every tensor operation. */
    public static ReentrantReadWriteLock.ReadLock operations() {
        discover(); // before the gate: discovery registers backends, which takes the gate's write side
        return GATE.readLock();
    }

    private static void lockForChange() {
        checkState(GATE.getReadHoldCount() == 0, "a backend cannot be added or removed from inside a tensor operation");
        GATE.writeLock().lock();
    }

    public static void addListener(DeviceListener l) {
        LISTENERS.add(l);
    }

    public static void removeListener(DeviceListener l) {
        LISTENERS.remove(l);
    }

    public static void register(Backend backend, int ranking, String description) {
        DeviceEvent event;
        lockForChange();
        try {
            for (Entry e : ENTRIES) {
                if (e.backend == backend) {
                    return;
                }
            }
            ENTRIES.add(new Entry(backend, ranking, sequence++, description));
            changed();
            event = new DeviceEvent(
                    DeviceEvent.Kind.ADDED,
                    devicesOf(backend),
                    description,
                    backend.unavailableReason() == null
                            ? "registered"
                            : "registered, unavailable: " + backend.unavailableReason(),
                    List.of(),
                    0);
        } finally {
            GATE.writeLock().unlock();
        }
        notifyListeners(event);
    }

    /**
     * Removes a backend: waits for the operations in flight, evacuates every live tensor it holds to the CPU (the
     * backend must still work during this call), then forgets it.
     */
    public static void unregister(Backend backend, String reason) {
        DeviceEvent event;
        lockForChange();
        try {
            Entry entry = null;
            for (Entry e : ENTRIES) {
                if (e.backend == backend) {
                    entry = e;
                }
            }
            if (entry == null) {
                return;
            }
            Evacuation done = Evacuation.of(backend);
            ENTRIES.remove(entry);
            changed();
            event = new DeviceEvent(
                    DeviceEvent.Kind.REMOVED, devicesOf(backend), entry.description, reason, done.moved, done.bytes);
        } finally {
            GATE.writeLock().unlock();
        }
        notifyListeners(event);
    }

    /** Forgets every remembered resolution (called under the gate's write side). */
    private static void changed() {
        generation++;
        RESOLVED.clear();
        cpu = null;
    }

    private static List<Device> devicesOf(Backend backend) {
        try {
            return backend.devices().stream().map(DeviceInfo::device).collect(Collectors.toList());
        } catch (RuntimeException e) {
            return List.of();
        }
    }

    private static void notifyListeners(DeviceEvent event) {
        LOG.log(System.Logger.Level.DEBUG, event.toString());
        for (DeviceListener l : LISTENERS) {
            try {
                l.deviceChanged(event);
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "device listener " + l + " failed on " + event, e);
            }
        }
    }

    /** Every registered backend, available or not, in precedence order. */
    public static List<Backend> all() {
        discover();
        return ENTRIES.stream().sorted(PRECEDENCE).map(e -> e.backend).collect(Collectors.toList());
    }

    /** How a registered backend describes itself (its class, and its bundle under OSGi). */
    public static String describe(Backend backend) {
        for (Entry e : ENTRIES) {
            if (e.backend == backend) {
                return e.description;
            }
        }
        return backend.getClass().getName();
    }

    /** The devices that some available backend serves now, {@code cpu} first. */
    public static List<Device> devices() {
        List<Device> out = new ArrayList<>();
        for (Backend b : all()) {
            if (b.unavailableReason() == null && b == serving(b.deviceType())) {
                b.devices().forEach(info -> out.add(info.device()));
            }
        }
        out.sort(Comparator.comparing((Device d) -> !d.isCpu())
                .thenComparing(Device::type)
                .thenComparingInt(Device::index));
        return out;
    }

    /**
     * The backend serving {@code device}, or an exception naming the reason and the devices that exist. The answer
     * is remembered until a backend comes or goes; a remembered backend that has since declared itself unavailable
     * is looked up afresh.
     */
    public static Backend forDevice(Device device) {
        boolean host = device == Device.CPU;
        Resolution r = host ? cpu : RESOLVED.get(device);
        if (r != null && r.generation == generation && r.backend.unavailableReason() == null) {
            return r.backend;
        }
        int current = generation;
        Backend b = resolve(device);
        Resolution fresh = new Resolution(current, b);
        if (host) {
            cpu = fresh;
        } else {
            RESOLVED.put(device, fresh);
        }
        return b;
    }

    private static Backend resolve(Device device) {
        Backend b = serving(device.type());
        if (b != null) {
            for (DeviceInfo info : b.devices()) {
                if (info.device().equals(device)) {
                    return b;
                }
            }
        }
        String why;
        if (b == null) {
            List<Backend> unavailable = all().stream()
                    .filter(x -> x.deviceType().equals(device.type()))
                    .collect(Collectors.toList());
            why = unavailable.isEmpty()
                    ? "no backend for device type '" + device.type() + "' is installed"
                    : unavailable.get(0).unavailableReason();
        } else {
            why = "its backend serves " + b.devices().size() + " " + device.type() + " device(s)";
        }
        throw new IllegalStateException("device '" + device + "' is not available (" + why + "); available devices: "
                + devices().stream().map(Device::toString).collect(Collectors.joining(", ")));
    }

    private static Backend serving(String type) {
        discover();
        Entry best = null;
        for (Entry e : ENTRIES) {
            if (e.backend.deviceType().equals(type)
                    && e.backend.unavailableReason() == null
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
        synchronized (Registry.class) {
            if (discovered) {
                return;
            }
            discovered = true;
            if (Boolean.getBoolean("plugtorch.osgi")) {
                return; // an OSGi launcher: backends arrive as services, never from the classpath
            }
            load(Backend.class.getClassLoader());
            ClassLoader context = Thread.currentThread().getContextClassLoader();
            if (context != null && context != Backend.class.getClassLoader()) {
                load(context);
            }
        }
    }

    private static void load(ClassLoader loader) {
        Iterator<ServiceLoader.Provider<Backend>> providers =
                ServiceLoader.load(Backend.class, loader).stream().iterator();
        while (true) {
            try {
                if (!providers.hasNext()) {
                    return;
                }
                ServiceLoader.Provider<Backend> p = providers.next();
                Class<? extends Backend> type = p.type();
                if (ENTRIES.stream().noneMatch(e -> e.backend.getClass() == type)) {
                    register(p.get(), 0, type.getName() + " (classpath)");
                }
            } catch (ServiceConfigurationError | LinkageError e) {
                // one broken backend on the classpath must not take the others (or the CPU) down with it
                LOG.log(System.Logger.Level.WARNING, "skipping a backend that failed to load: " + e);
            }
        }
    }
}
