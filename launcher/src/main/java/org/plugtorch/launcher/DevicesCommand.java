package org.plugtorch.launcher;

import org.plugtorch.spi.Backend;
import org.plugtorch.spi.Backends;
import org.plugtorch.spi.DeviceInfo;
import picocli.CommandLine.Command;

/** {@code plugtorch devices}: every backend found, its devices, or why it is unavailable. */
@Command(name = "devices", mixinStandardHelpOptions = true, description = "List backends and their devices.")
final class DevicesCommand implements Runnable {
    @Override
    public void run() {
        for (Backend b : Backends.all()) {
            if (b.unavailableReason() != null) {
                System.out.println(b.deviceType() + ": unavailable (" + b.unavailableReason() + ")");
                continue;
            }
            for (DeviceInfo info : b.devices()) {
                System.out.println(info.device() + ": " + info.name() + " " + info.properties());
            }
        }
    }
}
