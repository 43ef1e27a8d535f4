package org.plugtorch.io;

import java.nio.file.Path;

/**
 * Opens the checkpoint named on the command line and prints what happened; run in a JVM of its own by tests that
 * hold a hostile file to a heap size.
 */
public final class OpenProbe {
    private OpenProbe() {}

    public static void main(String[] args) {
        try (Checkpoint c = Checkpoints.open(Path.of(args[0]))) {
            System.out.println("opened: " + c.entries().size() + " tensors");
        } catch (java.io.IOException e) {
            System.out.println("refused: " + e.getMessage());
        } catch (OutOfMemoryError e) {
            System.out.println("out of memory");
        }
    }
}
