package org.plugtorch.osgi;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.ServiceReference;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.util.tracker.ServiceTracker;
import org.osgi.util.tracker.ServiceTrackerCustomizer;
import org.plugtorch.registry.Backends;
import org.plugtorch.spi.Backend;

/**
 * Feeds the device registry ({@link Backends}) from an OSGi service registry: every {@link Backend} service, as it
 * comes and goes. A service going away is evacuated here, while its backend still works: the tracker hears of an
 * unregistration before the service is gone, and Declarative Services unregisters a component's service before it
 * deactivates the component.
 *
 * <p>Installed as a bundle, the API bundle runs this as a Declarative Services component. An application that embeds
 * a framework and uses Plugtorch from its own class path (exporting the API packages from the system bundle) opens
 * one on the system bundle's context: {@code new BackendTracker().open(framework.getBundleContext())}.
 */
@Component(
        immediate = true,
        service = {})
public final class BackendTracker implements ServiceTrackerCustomizer<Backend, Backend> {
    private BundleContext context;
    private ServiceTracker<Backend, Backend> tracker;

    /** Starts tracking; backends already registered are added at once. */
    @Activate
    public synchronized void open(BundleContext context) {
        this.context = context;
        this.tracker = new ServiceTracker<>(context, Backend.class, this);
        tracker.open();
    }

    /** Stops tracking; every backend it added is removed (and evacuated). */
    @Deactivate
    public synchronized void close() {
        if (tracker != null) {
            tracker.close();
            tracker = null;
        }
    }

    @Override
    public Backend addingService(ServiceReference<Backend> ref) {
        Backend backend = context.getService(ref);
        if (backend == null) {
            return null;
        }
        Object ranking = ref.getProperty(Constants.SERVICE_RANKING);
        Backends.register(backend, ranking instanceof Integer ? (Integer) ranking : 0, describe(backend, ref));
        return backend;
    }

    @Override
    public void modifiedService(ServiceReference<Backend> ref, Backend backend) {
        // availability and devices are read from the backend itself; nothing to redo
    }

    @Override
    public void removedService(ServiceReference<Backend> ref, Backend backend) {
        Bundle b = ref.getBundle();
        String why = b == null
                ? "its service was unregistered"
                : "bundle " + b.getSymbolicName() + " " + b.getVersion() + " " + state(b);
        try {
            Backends.unregister(backend, why);
        } finally {
            context.ungetService(ref);
        }
    }

    private static String describe(Backend backend, ServiceReference<Backend> ref) {
        Bundle b = ref.getBundle();
        return backend.getClass().getName()
                + (b == null ? "" : " from bundle " + b.getSymbolicName() + " " + b.getVersion());
    }

    private static String state(Bundle b) {
        switch (b.getState()) {
            case Bundle.STOPPING:
                return "stopping";
            case Bundle.UNINSTALLED:
                return "uninstalled";
            case Bundle.RESOLVED:
                return "stopped";
            default:
                return "unregistered its backend";
        }
    }
}
