package org.plugtorch.osgi;

import java.util.Hashtable;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.plugtorch.spi.Backend;

/**
 * How a backend bundle publishes its backend: as a {@link Backend} service whose properties say what it serves, so
 * that users can filter on them ({@code (&(plugtorch.device.type=opencl)(plugtorch.available=true))}).
 *
 * <p>A backend is a Declarative Services component ({@code immediate}, because starting OpenCL or CUDA is
 * expensive) that calls {@link #register} from its {@code @Activate} method and unregisters from its
 * {@code @Deactivate} method before releasing anything: the registry evacuates the backend's tensors during that
 * unregistration, while the backend still works. It registers the service itself rather than through the component
 * description because the devices and the availability are known only once the backend has started, and standard
 * Declarative Services cannot set service properties computed at activation.
 */
public final class BackendServices {
    /** {@code cpu}, {@code opencl}, {@code cuda}. */
    public static final String DEVICE_TYPE = "plugtorch.device.type";
    /** The devices served, as {@code String[]}: {@code opencl:0}, {@code opencl:1}; empty when unavailable. */
    public static final String DEVICES = "plugtorch.devices";
    /** {@code Boolean}: whether the backend can serve its devices. */
    public static final String AVAILABLE = "plugtorch.available";
    /** Why not, in one line; present only when unavailable. */
    public static final String UNAVAILABLE_REASON = "plugtorch.unavailable.reason";

    private BackendServices() {}

    /** Registers {@code backend} as a {@link Backend} service with its properties. */
    public static ServiceRegistration<Backend> register(BundleContext context, Backend backend) {
        Hashtable<String, Object> p = new Hashtable<>();
        p.put(DEVICE_TYPE, backend.deviceType());
        String reason = backend.unavailableReason();
        p.put(AVAILABLE, reason == null);
        if (reason == null) {
            p.put(
                    DEVICES,
                    backend.devices().stream().map(d -> d.device().toString()).toArray(String[]::new));
        } else {
            p.put(DEVICES, new String[0]);
            p.put(UNAVAILABLE_REASON, reason);
        }
        return context.registerService(Backend.class, backend, p);
    }
}
