package org.plugtorch.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import org.plugtorch.Fixtures;
import org.plugtorch.Tensor;

/**
 * The values PyTorch 1.13 recorded for the layer, loss, optimizer and network tests
 * ({@code fixtures/training/training_values.py}), and the comparison the tests use.
 */
public final class TrainingFixtures {
    public static final Fixtures PYTORCH = Fixtures.load("/fixtures/training/training_values.txt");

    private TrainingFixtures() {}

    /**
     * Asserts that {@code actual} holds PyTorch's values for {@code key}, within {@code 1e-5 + 1e-4 |expected|}:
     * float32 arithmetic in another order than PyTorch's (its kernels vectorise, fuse and accumulate in double)
     * differs in the last bits, and a few steps of training carry that along.
     */
    public static void assertPyTorch(String key, Tensor actual) {
        assertPyTorch(key, actual, 1e-5, 1e-4);
    }

    public static void assertPyTorch(String key, Tensor actual, double atol, double rtol) {
        double[] expected = PYTORCH.values(key);
        double[] got = actual.toDoubleArray();
        assertEquals(expected.length, got.length, key + ": element count");
        for (int i = 0; i < expected.length; i++) {
            if (!(Math.abs(got[i] - expected[i]) <= atol + rtol * Math.abs(expected[i]))) {
                assertArrayEquals(
                        expected,
                        got,
                        atol + rtol * Math.abs(expected[i]),
                        key + " differs at " + i + ": got " + Arrays.toString(got));
            }
        }
    }

    /** PyTorch's list repr of names: {@code ['weight', 'bias']}. */
    public static String pyList(Iterable<String> names) {
        StringBuilder sb = new StringBuilder("[");
        for (String n : names) {
            sb.append(sb.length() == 1 ? "" : ", ").append('\'').append(n).append('\'');
        }
        return sb.append(']').toString();
    }

    /** A recorded tensor with the given shape. */
    public static Tensor tensor(String key, long... shape) {
        return PYTORCH.tensor(key, shape);
    }

    /** The deterministic cotangent the fixtures use: {@code 0.1 * ((7k) mod 11) - 0.45}, float32. */
    public static Tensor pattern(long... shape) {
        int n = (int) Arrays.stream(shape).reduce(1, (a, b) -> a * b);
        float[] v = new float[n];
        for (int k = 0; k < n; k++) {
            v[k] = (float) (0.1 * ((k * 7) % 11) - 0.45);
        }
        return Tensor.fromArray(v, shape);
    }
}
