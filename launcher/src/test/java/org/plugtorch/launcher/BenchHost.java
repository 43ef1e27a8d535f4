package org.plugtorch.launcher;

import java.nio.file.Path;
import java.util.Map;
import org.osgi.framework.BundleContext;

/**
 * The launcher's embedded framework for the benchmarks in {@code org.plugtorch.launcher.bench}: {@link OsgiHost} is
 * package-private, and the benchmarks must boot exactly what the launcher boots.
 */
public final class BenchHost implements AutoCloseable {
    private final OsgiHost host;

    private BenchHost(OsgiHost host) {
        this.host = host;
    }

    /** Felix with every bundle of the distribution at {@code home} installed and started, no shell. */
    public static BenchHost start(Path home) {
        return new BenchHost(OsgiHost.start(home, null, false, Map.of()));
    }

    public BundleContext context() {
        return host.context();
    }

    @Override
    public void close() {
        host.close();
    }
}
