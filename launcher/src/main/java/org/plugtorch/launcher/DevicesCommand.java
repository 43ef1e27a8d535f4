package org.plugtorch.launcher;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** {@code plugtorch devices}: every device, its backend bundle and version, available or why not, memory. */
@Command(name = "devices", mixinStandardHelpOptions = true, description = "List the devices of every backend bundle.")
final class DevicesCommand implements Callable<Integer> {
    private final Session session;

    DevicesCommand(Session session) {
        this.session = session;
    }

    @Override
    public Integer call() {
        DeviceTable.lines(session.framework().context()).forEach(System.out::println);
        return 0;
    }
}
