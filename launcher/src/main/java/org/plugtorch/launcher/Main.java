package org.plugtorch.launcher;

/** Entry point of the {@code plugtorch} command. */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) {
        System.exit(PlugtorchCommand.commandLine().execute(args));
    }
}
