package org.plugtorch.launcher;

import picocli.CommandLine.Command;

/** {@code plugtorch demo ...}: runnable demonstrations. */
@Command(
        name = "demo",
        mixinStandardHelpOptions = true,
        description = "Run a demo model.",
        subcommands = {SeedDemoCommand.class, TrainDemoCommand.class, HotplugDemoCommand.class})
final class DemoCommand implements Runnable {
    @Override
    public void run() {
        new picocli.CommandLine(this).usage(System.out);
    }
}
