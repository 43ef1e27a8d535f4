package org.plugtorch.launcher;

import static org.plugtorch.spi.Preconditions.checkState;

import java.nio.file.Path;

/**
 * What one run of the {@code plugtorch} command shares between its subcommands: the embedded framework, started on
 * first use from the distribution folder ({@code plugtorch.home}, which {@code bin/plugtorch} sets).
 */
final class Session implements AutoCloseable {
    private final Path home;
    private final String frameworkFactory;
    private OsgiHost host;

    Session(Path home, String frameworkFactory) {
        this.home = home;
        this.frameworkFactory = frameworkFactory;
    }

    /** The session of a distribution run: home from {@code plugtorch.home}, Felix unless {@code plugtorch.framework} says. */
    static Session fromSystemProperties() {
        String home = System.getProperty("plugtorch.home");
        checkState(home != null, "plugtorch.home is not set: run the distribution's bin/plugtorch");
        return new Session(Path.of(home), System.getProperty("plugtorch.framework"));
    }

    Path home() {
        return home;
    }

    /** The running framework with every bundle started (the Gogo shell only when {@code shell}). */
    synchronized OsgiHost framework(boolean shell) {
        if (host == null) {
            host = OsgiHost.start(home, frameworkFactory, shell);
        }
        return host;
    }

    synchronized OsgiHost framework() {
        return framework(false);
    }

    @Override
    public synchronized void close() {
        if (host != null) {
            host.close();
            host = null;
        }
    }
}
