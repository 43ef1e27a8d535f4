package org.plugtorch.cuda;

import static org.plugtorch.spi.Preconditions.checkState;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.Map;

/** The committed PTX of each module, read once from this bundle, NUL-terminated as cuModuleLoadData wants it. */
final class PtxResources {
    private static final Map<KernelModule, byte[]> LOADED = new EnumMap<>(KernelModule.class);

    private PtxResources() {}

    static synchronized byte[] ptx(KernelModule module) {
        return LOADED.computeIfAbsent(module, PtxResources::read);
    }

    private static byte[] read(KernelModule module) {
        try (InputStream in = PtxResources.class.getResourceAsStream(module.resource())) {
            checkState(in != null, () -> "the cuda backend bundle lacks its kernel resource " + module.resource());
            byte[] text = in.readAllBytes();
            return Arrays.copyOf(text, text.length + 1);
        } catch (IOException e) {
            throw new UncheckedIOException("reading " + module.resource(), e);
        }
    }
}
