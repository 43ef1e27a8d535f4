package org.plugtorch.osgi;

import java.util.HashMap;
import java.util.Map;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.util.tracker.ServiceTracker;
import org.plugtorch.Device;
import org.plugtorch.DeviceEvent;
import org.plugtorch.DeviceListener;
import org.plugtorch.registry.Backends;

/**
 * Posts device events to OSGi Event Admin whenever an Event Admin service is present, on the topics
 * {@code org/plugtorch/device/ADDED} and {@code org/plugtorch/device/REMOVED}, with the properties {@code devices},
 * {@code backend}, {@code reason}, {@code moved} (one line per evacuated tensor), {@code moved.count} and
 * {@code moved.bytes}. Event Admin is optional: with none present, nothing is posted and nothing fails.
 *
 * <p>Like {@link BackendTracker}, it runs as a Declarative Services component in the API bundle, or is opened by an
 * embedding application on the system bundle's context.
 */
@Component(
        immediate = true,
        service = {})
public final class EventAdminBridge implements DeviceListener {
    public static final String TOPIC_PREFIX = "org/plugtorch/device/";

    private ServiceTracker<Object, Object> eventAdmins;

    @Activate
    public synchronized void open(BundleContext context) {
        // tracked by name, so that this class loads without the Event Admin package present
        eventAdmins = new ServiceTracker<>(context, "org.osgi.service.event.EventAdmin", null);
        eventAdmins.open();
        Backends.addListener(this);
    }

    @Deactivate
    public synchronized void close() {
        Backends.removeListener(this);
        if (eventAdmins != null) {
            eventAdmins.close();
            eventAdmins = null;
        }
    }

    @Override
    public void deviceChanged(DeviceEvent e) {
        ServiceTracker<Object, Object> t = eventAdmins;
        Object admin = t == null ? null : t.getService();
        if (admin != null) {
            EventAdminPoster.send(admin, TOPIC_PREFIX + e.kind(), properties(e));
        }
    }

    private static Map<String, Object> properties(DeviceEvent e) {
        Map<String, Object> p = new HashMap<>();
        p.put("devices", e.devices().stream().map(Device::toString).toArray(String[]::new));
        p.put("backend", e.backend());
        p.put("reason", e.reason());
        p.put("moved", e.moved().stream().map(Object::toString).toArray(String[]::new));
        p.put("moved.count", e.moved().size());
        p.put("moved.bytes", e.bytesMoved());
        return p;
    }
}
