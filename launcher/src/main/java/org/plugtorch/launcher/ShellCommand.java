package org.plugtorch.launcher;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** {@code plugtorch shell}: a Gogo shell with Plugtorch's commands, until {@code exit} or the end of input. */
@Command(
        name = "shell",
        mixinStandardHelpOptions = true,
        description =
                "A Gogo shell with Plugtorch commands: plugtorch:devices, backends, demo, model, where, install, update, remove. Leave with 'exit 0' or the end of input.")
final class ShellCommand implements Callable<Integer> {
    private final Session session;

    ShellCommand(Session session) {
        this.session = session;
    }

    @Override
    public Integer call() throws Exception {
        OsgiHost host = session.framework(true);
        host.framework().waitForStop(0);
        return 0;
    }
}
