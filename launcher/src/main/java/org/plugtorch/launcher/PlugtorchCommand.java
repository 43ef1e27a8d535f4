package org.plugtorch.launcher;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code plugtorch}: the top-level command. */
@Command(name = "plugtorch", mixinStandardHelpOptions = true, version = "plugtorch 0.1.0",
        description = "PyTorch's nn.Module contract in Java, on pluggable device backends.",
        subcommands = {DemoCommand.class, DevicesCommand.class})
final class PlugtorchCommand implements Runnable {

    /** The command line, with errors reported in one line ({@code error: ...}) rather than a stack trace. */
    static CommandLine commandLine() {
        CommandLine cli = new CommandLine(new PlugtorchCommand());
        cli.setExecutionExceptionHandler((e, cmd, parsed) -> {
            cmd.getErr().println("error: " + e.getMessage());
            return 1;
        });
        return cli;
    }

    @Override
    public void run() {
        new picocli.CommandLine(this).usage(System.out);
    }
}
