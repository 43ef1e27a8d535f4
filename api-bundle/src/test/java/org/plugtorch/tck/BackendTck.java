package org.plugtorch.tck;

import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.TestInstance;
import org.plugtorch.Device;
import org.plugtorch.spi.Backend;

/**
 * The backend test kit: proves every kernel of the SPI against {@link ReferenceBackend}, at the SPI level. A backend
 * module runs it by subclassing:
 *
 * <pre>
 * class CudaBackendTckTest extends BackendTck {
 *     protected Backend backend() { return new CudaBackend(); }
 * }
 * </pre>
 *
 * Every case is its own dynamic test, named after its op, dtypes and layout, and generated from seeded data (the
 * seed is the case name), so a failure reproduces exactly. It names the op, the dtypes, every operand's shape,
 * strides and offset, and the first mismatching index with both values.
 *
 * <p>What is covered: allocation (zero-filled, every claimed dtype, 0, 1 and a million elements), copy in and out
 * (heap and direct buffers, offsets), copy between buffers, free; copy (every dtype pair), fill, every unary op,
 * every binary op, where, every reduction, matmul; for each, operands of rank 0 to 4 that are contiguous,
 * broadcast, scalar, permuted, sliced with steps and offsets, in place, empty and larger than one kernel block;
 * values with NaN, ±inf, -0, extreme magnitudes, integer limits and ties. Only the dtypes the backend claims are
 * tested, under the SPI's dtype rules. Tolerances are in {@link Tolerance}.
 *
 * <p>A backend that reports itself unavailable ({@link Backend#unavailableReason()}) is skipped, not failed, so the
 * kit can run on machines without the device.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class BackendTck {
    private TckRunner run;

    /** The backend under test; called once per test class. */
    protected abstract Backend backend();

    /** The device to test on: by default the backend's first device. */
    protected Device device(Backend backend) {
        return backend.devices().get(0).device();
    }

    @BeforeAll
    void setUpBackend() {
        Backend backend = backend();
        Assumptions.assumeTrue(backend.unavailableReason() == null,
                () -> backend.deviceType() + " backend unavailable: " + backend.unavailableReason());
        run = new TckRunner(backend, device(backend));
    }

    @TestFactory
    List<DynamicNode> allocator() {
        return AllocatorCases.allocator(run);
    }

    @TestFactory
    List<DynamicNode> copy() {
        return ElementwiseCases.copy(run);
    }

    @TestFactory
    List<DynamicNode> fill() {
        return ElementwiseCases.fill(run);
    }

    @TestFactory
    List<DynamicNode> unary() {
        return ElementwiseCases.unary(run);
    }

    @TestFactory
    List<DynamicNode> binary() {
        return ElementwiseCases.binary(run);
    }

    @TestFactory
    List<DynamicNode> where() {
        return ElementwiseCases.where(run);
    }

    @TestFactory
    List<DynamicNode> reduce() {
        return ReductionCases.reduce(run);
    }

    @TestFactory
    List<DynamicNode> matmul() {
        return MatmulCases.matmul(run);
    }
}
