package org.plugtorch.cpu;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;
import org.plugtorch.spi.Backend;

/** On a plain classpath the backend is found through {@link ServiceLoader}, as {@code Backends} looks for it. */
class CpuBackendDiscoveryTest {
    @Test
    void serviceLoaderFindsTheCpuBackend() {
        boolean found = ServiceLoader.load(Backend.class).stream().anyMatch(p -> p.type() == CpuBackend.class);
        assertTrue(found, "META-INF/services/org.plugtorch.spi.Backend names org.plugtorch.cpu.CpuBackend");
    }
}
