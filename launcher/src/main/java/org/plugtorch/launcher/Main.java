package org.plugtorch.launcher;

import picocli.CommandLine;

/** Entry point of the {@code plugtorch} command. */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) {
        System.exit(new CommandLine(new PlugtorchCommand()).execute(args));
    }
}
