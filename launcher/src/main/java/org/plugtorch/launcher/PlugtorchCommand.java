package org.plugtorch.launcher;

import picocli.CommandLine.Command;

/** {@code plugtorch}: the top-level command. */
@Command(name = "plugtorch", mixinStandardHelpOptions = true, version = "plugtorch 0.1.0",
        description = "PyTorch's nn.Module contract in Java, on pluggable device backends.",
        subcommands = {DemoCommand.class, DevicesCommand.class})
final class PlugtorchCommand implements Runnable {
    @Override
    public void run() {
        new picocli.CommandLine(this).usage(System.out);
    }
}
