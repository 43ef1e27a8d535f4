package org.plugtorch.launcher;

import java.util.concurrent.Callable;
import org.plugtorch.Device;
import org.plugtorch.registry.Backends;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code plugtorch demo hotplug}: forward passes go on while the device's backend bundle is removed and re-added. */
@Command(
        name = "hotplug",
        mixinStandardHelpOptions = true,
        description = "Run forward passes on a device while its backend bundle is uninstalled and installed again.")
final class HotplugDemoCommand implements Callable<Integer> {
    private final Session session;

    @Option(names = "--device", description = "A device other than cpu (default: the first one available).")
    String device;

    @Option(
            names = "--cycles",
            defaultValue = "2",
            description = "How many times to remove and re-add the backend (default: ${DEFAULT-VALUE}).")
    int cycles;

    HotplugDemoCommand(Session session) {
        this.session = session;
    }

    @Override
    public Integer call() throws Exception {
        OsgiHost host = session.framework();
        Device d = device != null
                ? Device.parse(device)
                : Backends.devices().stream()
                        .filter(x -> !x.isCpu())
                        .findFirst()
                        .orElseThrow(() -> new IllegalStateException(
                                "no device other than cpu is available, and the hot-plug demo "
                                        + "needs one; devices now: " + Backends.devices()));
        return new HotplugDemo(host.context(), System.out).run(d, cycles) == 0 ? 0 : 1;
    }
}
