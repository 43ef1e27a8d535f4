package org.plugtorch.launcher;

import static org.plugtorch.spi.Preconditions.checkState;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.ServiceLoader;
import java.util.stream.Stream;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleException;
import org.osgi.framework.Constants;
import org.osgi.framework.launch.Framework;
import org.osgi.framework.launch.FrameworkFactory;
import org.plugtorch.osgi.BackendTracker;
import org.plugtorch.osgi.EventAdminBridge;

/**
 * An embedded OSGi framework (Apache Felix by default, found through the standard {@link FrameworkFactory}) that
 * runs the bundles of a distribution's {@code bundle/} folder and watches its {@code hot-deploy/} folder.
 *
 * <p>The API lives on the launcher's class path and the system bundle exports it, so the launcher's code and every
 * bundle share one set of API classes and one device registry; the launcher feeds that registry from the framework's
 * {@code Backend} services with a {@link BackendTracker}, and bridges device events to Event Admin.
 */
final class OsgiHost implements AutoCloseable {
    /** Bundles that are installed but not started unless asked for (the interactive shell reads the terminal). */
    static final String GOGO_SHELL = "org.apache.felix.gogo.shell";

    private final Framework framework;
    private final Path storage;
    private final BackendTracker tracker = new BackendTracker();
    private final EventAdminBridge events = new EventAdminBridge();

    private OsgiHost(Framework framework, Path storage) {
        this.framework = framework;
        this.storage = storage;
    }

    /**
     * Starts a framework for the distribution at {@code home}: installs and starts every bundle of
     * {@code home/bundle}, registers the Plugtorch shell commands, and watches {@code home/hot-deploy}; the
     * interactive Gogo shell starts last, and only when {@code shell}.
     */
    static OsgiHost start(Path home, String factoryClass, boolean shell) {
        return start(home, factoryClass, shell, Map.of());
    }

    /** As {@link #start(Path, String, boolean)}, with framework properties that override the configuration. */
    static OsgiHost start(Path home, String factoryClass, boolean shell, Map<String, String> overrides) {
        System.setProperty("plugtorch.osgi", "true");
        Path storage;
        try {
            storage = Files.createTempDirectory("plugtorch-osgi");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Map<String, String> config = configuration(home, storage, shell);
        config.putAll(overrides);
        Framework framework = factory(factoryClass).newFramework(config);
        OsgiHost host = new OsgiHost(framework, storage);
        try {
            framework.start();
            BundleContext ctx = framework.getBundleContext();
            host.tracker.open(ctx);
            host.events.open(ctx);
            List<Bundle> installed = new ArrayList<>();
            for (Path jar : bundles(home.resolve("bundle"))) {
                try (InputStream in = Files.newInputStream(jar)) {
                    installed.add(ctx.installBundle(jar.toUri().toString(), in));
                }
            }
            Bundle gogoShell = null;
            for (Bundle b : installed) {
                if (GOGO_SHELL.equals(b.getSymbolicName())) {
                    gogoShell = b;
                } else if (b.getHeaders().get(Constants.FRAGMENT_HOST) == null) {
                    b.start();
                }
            }
            ShellCommands.register(ctx, home.resolve("bundle"), shell);
            if (shell && gogoShell != null) {
                gogoShell.start(); // last: it reads the terminal at once, so everything must be in place
            }
            return host;
        } catch (IOException | BundleException | RuntimeException e) {
            host.close();
            throw new IllegalStateException("cannot start the OSGi framework for " + home + ": " + e.getMessage(), e);
        }
    }

    private static Map<String, String> configuration(Path home, Path storage, boolean shell) {
        Map<String, String> config = new HashMap<>();
        config.put(Constants.FRAMEWORK_STORAGE, storage.toString());
        config.put(Constants.FRAMEWORK_STORAGE_CLEAN, Constants.FRAMEWORK_STORAGE_CLEAN_ONFIRSTINIT);
        // jdk.incubator.vector (the cpu backend's optional import) is not listed here: Felix and Equinox both export
        // the packages of the boot layer's modules, that one included when the JVM runs with --add-modules
        // jdk.incubator.vector, and naming it again would export it twice
        config.put(Constants.FRAMEWORK_SYSTEMPACKAGES_EXTRA, ApiExports.systemPackagesExtra());
        config.put("felix.fileinstall.dir", "hot-deploy");
        config.put("felix.fileinstall.poll", "1000");
        config.put("felix.fileinstall.noInitialDelay", "true");
        config.put("felix.fileinstall.bundles.new.start", "true");
        config.put("felix.fileinstall.log.level", "3");
        // the shell stops the framework when its session ends (exit, or end of input)
        config.put("gosh.args", shell ? "" : "--nointeractive");
        Path conf = home.resolve("conf/plugtorch.properties");
        if (Files.isRegularFile(conf)) {
            Properties p = new Properties();
            try (InputStream in = Files.newInputStream(conf)) {
                p.load(in);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + conf, e);
            }
            p.stringPropertyNames().forEach(k -> config.put(k, p.getProperty(k)));
        }
        Path dir = Path.of(config.get("felix.fileinstall.dir"));
        config.put(
                "felix.fileinstall.dir",
                (dir.isAbsolute() ? dir : home.resolve(dir)).toAbsolutePath().toString());
        return config;
    }

    private static FrameworkFactory factory(String className) {
        for (FrameworkFactory f : ServiceLoader.load(FrameworkFactory.class, OsgiHost.class.getClassLoader())) {
            if (className == null || f.getClass().getName().equals(className)) {
                return f;
            }
        }
        throw new IllegalStateException(
                "no OSGi framework " + (className == null ? "" : className + " ") + "on the class path");
    }

    private static List<Path> bundles(Path dir) throws IOException {
        checkState(
                Files.isDirectory(dir),
                () -> "no bundle folder at " + dir + " (is plugtorch.home the distribution folder?)");
        List<Path> jars = new ArrayList<>();
        try (DirectoryStream<Path> s = Files.newDirectoryStream(dir, "*.jar")) {
            s.forEach(jars::add);
        }
        jars.sort(Comparator.comparing(Path::toString));
        return jars;
    }

    BundleContext context() {
        return framework.getBundleContext();
    }

    Framework framework() {
        return framework;
    }

    /** Stops the framework (every backend leaves, evacuating its tensors) and deletes its storage folder. */
    @Override
    public void close() {
        try {
            events.close();
            tracker.close(); // every backend leaves the registry (evacuating) while it still works
            if ((framework.getState() & (Bundle.ACTIVE | Bundle.STARTING | Bundle.STOPPING)) != 0) {
                framework.stop();
                framework.waitForStop(30_000);
            }
        } catch (BundleException | InterruptedException | IllegalStateException e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
        } finally {
            deleteTree(storage);
        }
    }

    private static void deleteTree(Path root) {
        try (Stream<Path> walk = Files.walk(root)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // a temporary folder left behind is harmless
        }
    }
}
