package org.plugtorch.osgi;

import java.util.Map;
import org.osgi.service.event.Event;
import org.osgi.service.event.EventAdmin;

/** The only class that touches the Event Admin API, loaded only once an Event Admin service exists. */
final class EventAdminPoster {
    private EventAdminPoster() {}

    static void send(Object admin, String topic, Map<String, Object> properties) {
        ((EventAdmin) admin).sendEvent(new Event(topic, properties));
    }
}
