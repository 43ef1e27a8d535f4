package org.plugtorch.io;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Finds a Python that can import torch and numpy: {@code $PLUGTORCH_PYTHON}, then {@code python3} on the PATH, then
 * {@code /usr/bin/python3} (Debian's, where python3-torch installs; a pyenv or venv python3 earlier on the PATH may
 * lack it). Tests that need one skip, with {@link #whyMissing()}, when there is none.
 */
final class PythonWithTorch {
    private static final List<String> TRIED = new ArrayList<>();
    private static final String FOUND = find();

    private PythonWithTorch() {}

    /** The interpreter's command, or null. */
    static String command() {
        return FOUND;
    }

    static String whyMissing() {
        return "no Python with torch and numpy (tried " + String.join(", ", TRIED) + "); install python3-torch and "
                + "python3-numpy (listed in .ci/packages) or point PLUGTORCH_PYTHON at one";
    }

    private static String find() {
        List<String> candidates = new ArrayList<>();
        String env = System.getenv("PLUGTORCH_PYTHON");
        if (env != null && !env.isBlank()) {
            candidates.add(env);
        }
        candidates.add("python3");
        candidates.add("/usr/bin/python3");
        for (String c : candidates) {
            TRIED.add(c);
            if (imports(c)) {
                return c;
            }
        }
        return null;
    }

    private static boolean imports(String python) {
        try {
            Process p = new ProcessBuilder(python, "-c", "import torch, numpy")
                    .redirectErrorStream(true)
                    .start();
            p.getOutputStream().close();
            p.getInputStream().readAllBytes();
            return p.waitFor(120, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Runs the interpreter with {@code args}; returns its exit code and output together. */
    static Result run(long timeoutSeconds, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(FOUND);
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        p.getOutputStream().close();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            return new Result(
                    -1, "timed out after " + timeoutSeconds + " s\n" + new String(out, StandardCharsets.UTF_8));
        }
        return new Result(p.exitValue(), new String(out, StandardCharsets.UTF_8));
    }

    static final class Result {
        final int exitCode;
        final String output;

        Result(int exitCode, String output) {
            this.exitCode = exitCode;
            this.output = output;
        }
    }
}
