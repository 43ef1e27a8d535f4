package org.plugtorch.cuda;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;

/** Where the module's CUDA sources are when tests run: {@code src/main/cuda} under the module (Surefire's basedir). */
final class CudaSources {
    private CudaSources() {}

    static Path directory() {
        return Paths.get(System.getProperty("basedir", ".")).resolve("src/main/cuda");
    }

    static Path file(String name) {
        return directory().resolve(name);
    }

    static String read(String name) {
        try {
            return Files.readString(file(name), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
