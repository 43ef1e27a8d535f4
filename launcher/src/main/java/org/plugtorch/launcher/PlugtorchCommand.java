package org.plugtorch.launcher;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code plugtorch}: the top-level command. */
@Command(
        name = "plugtorch",
        mixinStandardHelpOptions = true,
        version = "plugtorch 0.1.0",
        description = "PyTorch's nn.Module contract in Java, on pluggable device backends.",
        subcommands = {DemoCommand.class, DevicesCommand.class, InspectCommand.class, ShellCommand.class})
final class PlugtorchCommand implements Runnable {

    /** The command line of one session, with errors reported in one line ({@code error: ...}) rather than a stack trace. */
    static CommandLine commandLine(Session session) {
        CommandLine cli = new CommandLine(new PlugtorchCommand(), new SessionFactory(session));
        cli.setExecutionExceptionHandler((e, cmd, parsed) -> {
            cmd.getErr().println("error: " + e.getMessage());
            return 1;
        });
        return cli;
    }

    @Override
    public void run() {
        new CommandLine(this).usage(System.out);
    }

    /** Gives every command that wants one the session. */
    private static final class SessionFactory implements CommandLine.IFactory {
        private final Session session;

        SessionFactory(Session session) {
            this.session = session;
        }

        @Override
        public <K> K create(Class<K> type) throws Exception {
            try {
                return type.getDeclaredConstructor(Session.class).newInstance(session);
            } catch (NoSuchMethodException e) {
                return CommandLine.defaultFactory().create(type);
            }
        }
    }
}
