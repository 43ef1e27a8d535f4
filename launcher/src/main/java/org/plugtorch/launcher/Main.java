package org.plugtorch.launcher;

/** Entry point of the {@code plugtorch} command: see {@code bin/plugtorch}. */
public final class Main {
    private Main() {}

    public static void main(String[] args) {
        int code;
        try (Session session = Session.fromSystemProperties()) {
            code = PlugtorchCommand.commandLine(session).execute(args);
        }
        System.exit(code);
    }
}
