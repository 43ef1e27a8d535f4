package org.plugtorch;

/**
 * Values recorded once from real PyTorch 1.13 by {@code src/test/resources/fixtures/core_values.py}, so that tests
 * compare against PyTorch itself and not against numbers derived from the code under test.
 */
public final class PyTorchFixtures {
    private static final Fixtures CORE = Fixtures.load("/fixtures/core_values.txt");

    private PyTorchFixtures() {}

    /** A recorded fact, such as a dtype name. */
    public static String fact(String key) {
        return CORE.fact(key);
    }

    /** A recorded tensor's values, flattened, as doubles (exact: they were written as hex floats). */
    public static double[] values(String key) {
        return CORE.values(key);
    }

    /** The recorded tensor's dtype. */
    public static DType dtype(String key) {
        return CORE.dtype(key);
    }
}
