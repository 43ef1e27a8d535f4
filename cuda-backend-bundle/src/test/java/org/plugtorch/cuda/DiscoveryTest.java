package org.plugtorch.cuda;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;
import org.plugtorch.spi.Backend;

/** On a plain classpath the backend is found through {@link ServiceLoader}, as the API's registry looks for it. */
class DiscoveryTest {
    @Test
    void serviceLoaderFindsTheCudaBackend() {
        boolean found = ServiceLoader.load(Backend.class).stream().anyMatch(p -> p.type() == CudaBackend.class);
        assertTrue(found, "META-INF/services/org.plugtorch.spi.Backend names org.plugtorch.cuda.CudaBackend");
    }
}
