package org.plugtorch.launcher;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceReference;
import org.plugtorch.registry.Backends;
import org.plugtorch.spi.Backend;
import org.plugtorch.spi.DeviceInfo;

/** The listing behind {@code plugtorch devices}: every device, its backend bundle and version, availability, memory. */
final class DeviceTable {
    private DeviceTable() {}

    static List<String> lines(BundleContext context) {
        List<String> out = new ArrayList<>();
        for (Backend b : Backends.all()) {
            String bundle = bundleOf(context, b);
            String reason = b.unavailableReason();
            if (reason != null) {
                out.add(String.format("%-10s unavailable: %s  [%s]", b.deviceType(), reason, bundle));
                continue;
            }
            for (DeviceInfo info : b.devices()) {
                out.add(String.format(
                        "%-10s %s, %s  [%s]", info.device(), info.name(), memory(info.totalMemory()), bundle));
            }
        }
        return out;
    }

    /** {@code bundle-name version}, or the backend's own description when no bundle registered it. */
    static String bundleOf(BundleContext context, Backend backend) {
        try {
            for (ServiceReference<Backend> ref : context.getServiceReferences(Backend.class, null)) {
                Bundle b = ref.getBundle();
                Backend service = b == null ? null : context.getService(ref);
                try {
                    if (service == backend) {
                        return "bundle " + b.getSymbolicName() + " " + b.getVersion();
                    }
                } finally {
                    if (service != null) {
                        context.ungetService(ref);
                    }
                }
            }
        } catch (InvalidSyntaxException e) {
            throw new IllegalStateException(e);
        }
        return Backends.describe(backend);
    }

    private static String memory(long bytes) {
        return bytes < 0 ? "memory unknown" : String.format(Locale.ROOT, "%.1f GiB", bytes / (double) (1L << 30));
    }
}
