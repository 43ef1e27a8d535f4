package org.plugtorch.launcher;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Hashtable;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleException;
import org.osgi.framework.ServiceRegistration;
import org.plugtorch.Device;
import org.plugtorch.DeviceListener;
import org.plugtorch.Tensor;
import org.plugtorch.nn.Linear;
import org.plugtorch.nn.ReLU;
import org.plugtorch.nn.Sequential;
import org.plugtorch.registry.Backends;

/**
 * The Plugtorch commands of the Gogo shell (scope {@code plugtorch}): list devices and backend bundles, run the seed
 * demo, keep a live model, and install, update and remove backend bundles by hand while watching the model's tensors
 * move. Gogo calls these methods by name, through reflection; what they return it prints.
 */
public final class ShellCommands {
    static final String[] FUNCTIONS = {"devices", "backends", "demo", "model", "where", "install", "update", "remove"};

    private final BundleContext context;
    private final Path bundleDir;
    private Sequential model;

    ShellCommands(BundleContext context, Path bundleDir) {
        this.context = context;
        this.bundleDir = bundleDir;
    }

    /**
     * Registers the commands for the life of the framework; with {@code echo}, also a listener that prints every
     * device event as it happens (and where the live model's tensors are then), for an interactive shell.
     */
    static ServiceRegistration<Object> register(BundleContext context, Path bundleDir, boolean echo) {
        Hashtable<String, Object> p = new Hashtable<>();
        p.put("osgi.command.scope", "plugtorch");
        p.put("osgi.command.function", FUNCTIONS);
        ShellCommands commands = new ShellCommands(context, bundleDir);
        if (echo) {
            DeviceListener listener = e -> System.out.println(
                    "[plugtorch] " + e + (e.moved().isEmpty() ? "" : "\n" + String.join("\n", commands.whereLines())));
            Backends.addListener(listener);
        }
        return context.registerService(Object.class, commands, p);
    }

    /** Every device, its backend bundle, availability and memory. */
    public List<String> devices() {
        return DeviceTable.lines(context);
    }

    /** The backend bundles (id, name, version, state). */
    public List<String> backends() {
        List<String> out = new ArrayList<>();
        for (Bundle b : context.getBundles()) {
            if (b.getSymbolicName() != null && b.getSymbolicName().endsWith("-backend-bundle")) {
                out.add(String.format(
                        "%3d  %-24s %-28s %s", b.getBundleId(), b.getSymbolicName(), b.getVersion(), state(b)));
            }
        }
        return out;
    }

    /** The seed demo on a device. */
    public void demo(String device) {
        new SeedDemo(System.out).run(Device.parse(device), 0);
    }

    /** Creates a live model (Linear, ReLU, Linear) on a device, to watch with {@code where}. */
    public List<String> model(String device) {
        model = new Sequential(new Linear(8, 16), new ReLU(), new Linear(16, 4));
        model.to(Device.parse(device));
        return whereLines();
    }

    /** Where the live model's tensors are now, and one forward pass's output. */
    public List<String> where() {
        return whereLines();
    }

    private List<String> whereLines() {
        List<String> out = new ArrayList<>();
        if (model == null) {
            out.add("no live model: create one with plugtorch:model <device>");
            return out;
        }
        Map<String, Tensor> named = new LinkedHashMap<>(model.namedParameters());
        named.forEach((k, v) -> out.add(String.format(
                "  %-10s %-10s %s",
                k, v.device(), Tensor.class.getSimpleName() + java.util.Arrays.toString(v.shape()))));
        Device d = model.parameters().get(0).device();
        out.add("  forward(ones(1, 8)) on " + d + " = "
                + model.forward(Tensor.ones(1, 8).to(d)));
        return out;
    }

    /** Installs and starts a bundle: a path, or a name in the distribution's bundle/ folder. */
    public String install(String what) throws Exception {
        Path jar = resolveJar(what);
        Bundle b;
        try (InputStream in = Files.newInputStream(jar)) {
            b = context.installBundle(jar.toUri().toString(), in);
        }
        b.start();
        return "installed " + b.getSymbolicName() + " " + b.getVersion() + " as bundle " + b.getBundleId();
    }

    /** Updates a bundle (by id or symbolic name) from its location: its tensors are evacuated, then it comes back. */
    public String update(String which) throws BundleException {
        Bundle b = bundle(which);
        b.update();
        return "updated " + b.getSymbolicName() + " to " + b.getVersion();
    }

    /** Uninstalls a bundle (by id or symbolic name): its tensors are evacuated to the CPU first. */
    public String remove(String which) throws BundleException {
        Bundle b = bundle(which);
        b.uninstall();
        return "removed " + b.getSymbolicName() + " " + b.getVersion();
    }

    private Bundle bundle(String which) {
        for (Bundle b : context.getBundles()) {
            if (which.equals(String.valueOf(b.getBundleId())) || which.equals(b.getSymbolicName())) {
                return b;
            }
        }
        throw new IllegalArgumentException(
                "no bundle '" + which + "'; backend bundles:\n" + String.join("\n", backends()));
    }

    private Path resolveJar(String what) {
        Path p = Path.of(what);
        if (Files.isRegularFile(p)) {
            return p;
        }
        Path inDir = bundleDir.resolve(what.endsWith(".jar") ? what : what + ".jar");
        if (Files.isRegularFile(inDir)) {
            return inDir;
        }
        throw new IllegalArgumentException("no bundle file '" + what + "' (neither a path nor in " + bundleDir + ")");
    }

    private static String state(Bundle b) {
        switch (b.getState()) {
            case Bundle.ACTIVE:
                return "active";
            case Bundle.RESOLVED:
                return "resolved";
            case Bundle.INSTALLED:
                return "installed";
            default:
                return "state " + b.getState();
        }
    }
}
