package org.plugtorch.tck;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.DynamicTest;
import org.plugtorch.DType;
import org.plugtorch.Device;
import org.plugtorch.spi.Backend;

/** The backend and device under test, and the helpers that turn case builders into JUnit dynamic tests. */
final class TckRunner {
    final Backend backend;
    final Device device;
    private final Set<DType> dtypes;

    TckRunner(Backend backend, Device device) {
        this.backend = backend;
        this.device = device;
        this.dtypes = backend.dtypes();
    }

    /** The dtypes the backend claims, in the API's order. */
    List<DType> dtypes() {
        List<DType> out = new ArrayList<>();
        for (DType d : DType.values()) {
            if (dtypes.contains(d)) {
                out.add(d);
            }
        }
        return out;
    }

    boolean supports(DType... ts) {
        return dtypes.containsAll(Arrays.asList(ts));
    }

    /** A test that builds its case only when it runs (data generation is part of the test). */
    DynamicTest test(String displayName, Supplier<TckCase> build) {
        return DynamicTest.dynamicTest(displayName, () -> build.get().verify(backend, device));
    }

    static DynamicContainer container(String displayName, List<? extends DynamicNode> children) {
        return DynamicContainer.dynamicContainer(displayName, children.stream());
    }
}
