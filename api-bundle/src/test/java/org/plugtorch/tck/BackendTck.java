package org.plugtorch.tck;

import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.DynamicTest;
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
    private String unavailable;

    /** The backend under test; called once per test class. */
    protected abstract Backend backend();

    /** The device to test on: by default the backend's first device. */
    protected Device device(Backend backend) {
        return backend.devices().get(0).device();
    }

    /**
     * An unavailable backend gets one skipped test per group, with the reason: an assumption failing in
     * {@code @BeforeAll} would abort the class before its dynamic tests exist, and Surefire then reports nothing at
     * all (zero tests, zero skipped), which reads like a pass.
     */
    @BeforeAll
    void setUpBackend() {
        Backend backend = backend();
        if (backend.unavailableReason() != null) {
            unavailable = backend.deviceType() + " backend unavailable: " + backend.unavailableReason();
            return;
        }
        run = new TckRunner(backend, device(backend));
    }

    private List<DynamicNode> cases(Function<TckRunner, List<DynamicNode>> group) {
        if (unavailable != null) {
            return List.of(DynamicTest.dynamicTest("skipped: " + unavailable, () -> Assumptions.abort(unavailable)));
        }
        return group.apply(run);
    }

    @TestFactory
    List<DynamicNode> allocator() {
        return cases(AllocatorCases::allocator);
    }

    @TestFactory
    List<DynamicNode> copy() {
        return cases(ElementwiseCases::copy);
    }

    @TestFactory
    List<DynamicNode> fill() {
        return cases(ElementwiseCases::fill);
    }

    @TestFactory
    List<DynamicNode> unary() {
        return cases(ElementwiseCases::unary);
    }

    @TestFactory
    List<DynamicNode> binary() {
        return cases(ElementwiseCases::binary);
    }

    @TestFactory
    List<DynamicNode> where() {
        return cases(ElementwiseCases::where);
    }

    @TestFactory
    List<DynamicNode> reduce() {
        return cases(ReductionCases::reduce);
    }

    @TestFactory
    List<DynamicNode> matmul() {
        return cases(MatmulCases::matmul);
    }
}
