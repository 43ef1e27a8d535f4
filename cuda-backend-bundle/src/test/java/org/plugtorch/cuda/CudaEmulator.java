package org.plugtorch.cuda;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Builds the CPU emulator of the backend's CUDA C kernels ({@code src/test/cuda-emulator}): each {@code .cu} file of
 * {@code src/main/cuda} compiled unchanged by g++, with {@code cuda_shim.h} standing in for CUDA's built-ins, and
 * linked with the launch loop of {@code emulator.cpp}, into {@code target/cuda-emulator}, once per test JVM (so it
 * always matches the sources). Where g++ is missing, {@link #unavailableReason} says so and the emulated test kits
 * skip; where g++ is there and the build fails, that is an error of the sources, and the kits fail.
 */
final class CudaEmulator {
    private static Path binary;
    private static String missingCompiler;

    private CudaEmulator() {}

    /** The emulator executable, built on first use. */
    static synchronized Path binary() {
        if (binary == null) {
            try {
                binary = build();
            } catch (IOException e) {
                throw new IllegalStateException(e.getMessage(), e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while building the kernel emulator", e);
            }
        }
        return binary;
    }

    /** Why the emulator cannot be built here (no g++), or null when it can. */
    static synchronized String unavailableReason() {
        if (missingCompiler == null) {
            try {
                Process p = new ProcessBuilder("g++", "--version")
                        .redirectErrorStream(true)
                        .start();
                p.getInputStream().readAllBytes();
                missingCompiler = p.waitFor(1, TimeUnit.MINUTES) && p.exitValue() == 0
                        ? ""
                        : "g++ --version failed: the CUDA C kernels cannot be emulated on the CPU here";
            } catch (IOException e) {
                missingCompiler = "g++ is not installed (" + e.getMessage() + "): the CUDA C kernels cannot be "
                        + "emulated on the CPU here";
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                missingCompiler = "interrupted while looking for g++";
            }
        }
        return missingCompiler.isEmpty() ? null : missingCompiler;
    }

    private static Path build() throws IOException, InterruptedException {
        Path base = Paths.get(System.getProperty("basedir", "."));
        Path sources = base.resolve("src/main/cuda");
        Path emulator = base.resolve("src/test/cuda-emulator");
        Path out = base.resolve("target/cuda-emulator");
        Files.createDirectories(out);
        Path shim = emulator.resolve("cuda_shim.h");
        List<String> objects = new ArrayList<>();
        List<Process> compiles = new ArrayList<>();
        List<Path> logs = new ArrayList<>();
        for (KernelModule m : KernelModule.values()) {
            Path object = out.resolve(m.fileName + ".o");
            objects.add(object.toString());
            compiles.add(start(
                    out,
                    logs,
                    "g++",
                    "-std=c++20",
                    "-O2",
                    "-pthread",
                    "-Wno-unknown-pragmas",
                    "-ffp-contract=off",
                    "-x",
                    "c++",
                    "-include",
                    shim.toString(),
                    "-c",
                    sources.resolve(m.fileName + ".cu").toString(),
                    "-o",
                    object.toString()));
        }
        Path main = out.resolve("emulator.o");
        compiles.add(start(
                out,
                logs,
                "g++",
                "-std=c++20",
                "-O2",
                "-pthread",
                "-include",
                shim.toString(),
                "-c",
                emulator.resolve("emulator.cpp").toString(),
                "-o",
                main.toString()));
        for (int i = 0; i < compiles.size(); i++) {
            finish(compiles.get(i), logs.get(i));
        }
        Path exe = out.resolve("pt-emulator");
        List<String> link =
                new ArrayList<>(List.of("g++", "-pthread", "-rdynamic", "-o", exe.toString(), main.toString()));
        link.addAll(objects);
        link.add("-ldl");
        finish(start(out, logs, link.toArray(new String[0])), logs.get(logs.size() - 1));
        return exe;
    }

    private static Process start(Path dir, List<Path> logs, String... command) throws IOException {
        Path log = dir.resolve("build-" + logs.size() + ".log");
        logs.add(log);
        return new ProcessBuilder(command)
                .directory(dir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
    }

    private static void finish(Process p, Path log) throws IOException, InterruptedException {
        if (!p.waitFor(10, TimeUnit.MINUTES) || p.exitValue() != 0) {
            throw new IOException("building the kernel emulator failed: "
                    + String.join(" ", p.info().commandLine().orElse("g++")) + "\n"
                    + Files.readString(log, StandardCharsets.UTF_8));
        }
    }
}
