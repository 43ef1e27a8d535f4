package org.plugtorch.cuda;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/** The committed PTX as the backend loads it: the class-path resource of each {@link KernelModule}. */
final class CommittedPtx {
    private CommittedPtx() {}

    static String text(KernelModule module) {
        try (InputStream in = CommittedPtx.class.getResourceAsStream(module.resource())) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + module.resource());
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
