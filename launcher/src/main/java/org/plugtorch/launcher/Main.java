package org.plugtorch.launcher;

/** Entry point of the plugtorch command. */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) {
        System.exit(0);
    }
}
