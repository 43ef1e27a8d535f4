package org.plugtorch.tck;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.TestInstance;
import org.plugtorch.DType;
import org.plugtorch.Device;
import org.plugtorch.Fixtures;
import org.plugtorch.Tensor;
import org.plugtorch.registry.Backends;
import org.plugtorch.spi.Backend;

/**
 * The autograd test kit: every case of {@link GradCases} run backward on the backend's device, checked two ways:
 * against finite differences of the same function on the same device ({@link GradCheck}, in float64 when the
 * backend has it), and against the results, node names and gradients PyTorch 1.13 recorded for the same fixed
 * float32 inputs ({@code fixtures/training/autograd_values.txt}). A backend module subclasses it as it subclasses
 * {@link TensorTck}: training then runs on its device through its own kernels.
 *
 * <p>The backend under test is registered for the duration of the class if it does not serve its device already;
 * where no backend serves {@code cpu}, a reference one does, for the host side of moves.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class AutogradTck {
    private static final Fixtures PYTORCH = Fixtures.load("/fixtures/training/autograd_values.txt");

    private final List<Backend> registered = new ArrayList<>();
    private Device device;
    private Backend backend;
    private String unavailable;

    /** The backend under test; called once per test class. */
    protected abstract Backend backend();

    /** The device to test on: by default the backend's first device. */
    protected Device device(Backend backend) {
        return backend.devices().get(0).device();
    }

    /**
     * An unavailable backend skips every case, each reported as skipped with the reason: an assumption failing in
     * {@code @BeforeAll} would abort the class before its dynamic tests exist, and Surefire then reports nothing.
     */
    @BeforeAll
    void registerBackends() {
        backend = backend();
        if (backend.unavailableReason() != null) {
            unavailable = backend.deviceType() + " backend unavailable: " + backend.unavailableReason();
            return;
        }
        device = device(backend);
        if (!serves(backend, device)) {
            Backends.register(backend, Integer.MAX_VALUE);
            registered.add(backend);
        }
        if (!Backends.devices().contains(Device.CPU)) {
            Backend cpu = new ReferenceBackend();
            Backends.register(cpu, Integer.MIN_VALUE);
            registered.add(cpu);
        }
    }

    private static boolean serves(Backend backend, Device device) {
        try {
            return Backends.forDevice(device) == backend;
        } catch (IllegalStateException notServed) {
            return false;
        }
    }

    @AfterAll
    void unregisterBackends() {
        registered.forEach(Backends::unregister);
        registered.clear();
    }

    /** The dtype of the finite-difference checks: float64 where the backend stores it. */
    protected DType gradcheckDType() {
        return backend.dtypes().contains(DType.FLOAT64) ? DType.FLOAT64 : DType.FLOAT32;
    }

    @TestFactory
    Stream<DynamicTest> finiteDifferences() {
        GradCheck check = unavailable == null ? new GradCheck(device, gradcheckDType()) : null;
        return GradCases.derivatives().stream()
                .map(c -> DynamicTest.dynamicTest(c.name(), () -> {
                    Assumptions.assumeTrue(unavailable == null, () -> unavailable);
                    check.check(c);
                }));
    }

    @TestFactory
    Stream<DynamicTest> pytorchValues() {
        return GradCases.all().stream()
                .map(c -> DynamicTest.dynamicTest(c.name(), () -> {
                    Assumptions.assumeTrue(unavailable == null, () -> unavailable);
                    matchesPyTorch(c);
                }));
    }

    /** Result, node name and every input's gradient of {@code c}, on the device, against PyTorch's. */
    private void matchesPyTorch(GradCases.GradCase c) {
        Tensor[] leaves = new Tensor[c.inputs.length];
        for (int i = 0; i < leaves.length; i++) {
            long[] shape = GradCases.INPUTS.get(c.inputs[i]).shape;
            leaves[i] = PYTORCH.tensor("input." + c.inputs[i], shape).to(device).requiresGrad_(true);
        }
        Tensor out = c.fn.apply(leaves);
        String key = "case." + c.name;
        assertClose(key + ".out", out);
        if (device.isCpu() || !c.name.equals("to_cpu_and_back")) {
            assertEquals(PYTORCH.fact(key + ".grad_fn"), out.gradFn().name(), key + ".grad_fn");
        }
        out.backward(GradCases.pattern(out.shape(), out.dtype()).to(device));
        for (int i = 0; i < leaves.length; i++) {
            Tensor grad = leaves[i].grad();
            Tensor g = grad == null ? Tensor.zeros(leaves[i].shape()) : grad;
            assertClose(key + ".grad." + c.inputs[i], g);
        }
    }

    private void assertClose(String key, Tensor actual) {
        double[] expected = PYTORCH.values(key);
        double[] got = actual.toDoubleArray();
        assertEquals(expected.length, got.length, key + ": element count");
        for (int i = 0; i < expected.length; i++) {
            double tol = 1e-5 + 1e-4 * Math.abs(expected[i]);
            if (!(Math.abs(got[i] - expected[i]) <= tol)) {
                assertArrayEquals(expected, got, tol, key + " differs at " + i + ": " + Arrays.toString(got));
            }
        }
    }
}
