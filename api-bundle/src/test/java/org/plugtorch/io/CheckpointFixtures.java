package org.plugtorch.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.plugtorch.DType;
import org.plugtorch.Tensor;

/**
 * The checkpoints that real PyTorch and safetensors wrote ({@code fixtures/checkpoints/make_fixtures.py}) and the
 * values PyTorch saved in them ({@code expected.txt}: floats as exact hex, row-major), for tests that compare every
 * value against PyTorch's own.
 */
final class CheckpointFixtures {
    /** One tensor as PyTorch saved it. */
    static final class Expected {
        final String key;
        final String dtype;
        final long[] shape;
        final String[] values;

        Expected(String key, String dtype, long[] shape, String[] values) {
            this.key = key;
            this.dtype = dtype;
            this.shape = shape;
            this.values = values;
        }
    }

    private static final Map<String, LinkedHashMap<String, Expected>> TENSORS = new LinkedHashMap<>();
    private static final Map<String, List<String[]>> SHARING = new LinkedHashMap<>();

    static {
        try {
            for (String line : Files.readAllLines(dir().resolve("expected.txt"), StandardCharsets.UTF_8)) {
                if (line.isBlank()) {
                    continue;
                }
                String[] p = line.split(" ");
                if (p[2].equals("shares")) {
                    SHARING.computeIfAbsent(p[0], k -> new ArrayList<>()).add(new String[] {p[1], p[3]});
                    continue;
                }
                String s = p[3].substring(1, p[3].length() - 1);
                long[] shape = s.isEmpty()
                        ? new long[0]
                        : java.util.Arrays.stream(s.split(","))
                                .mapToLong(Long::parseLong)
                                .toArray();
                String[] values = java.util.Arrays.copyOfRange(p, 4, p.length);
                TENSORS.computeIfAbsent(p[0], k -> new LinkedHashMap<>())
                        .put(p[1], new Expected(p[1], p[2], shape, values));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private CheckpointFixtures() {}

    static Path dir() {
        try {
            return Path.of(CheckpointFixtures.class
                            .getResource("/fixtures/checkpoints/expected.txt")
                            .toURI())
                    .getParent();
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    static Path file(String name) {
        return dir().resolve(name);
    }

    /** The tensors PyTorch saved in {@code file}, by key, in save order. */
    static LinkedHashMap<String, Expected> expected(String file) {
        LinkedHashMap<String, Expected> e = TENSORS.get(file);
        if (e == null) {
            throw new IllegalArgumentException("no expected values for " + file);
        }
        return e;
    }

    /** Pairs of keys whose tensors share one storage after torch.load. */
    static List<String[]> sharing(String file) {
        return SHARING.getOrDefault(file, List.of());
    }

    /** Asserts that {@code actual} has PyTorch's shape and exactly its values (floats bit for bit, NaN included). */
    static void assertValues(Expected expected, Tensor actual, String where) {
        assertArrayEquals(expected.shape, actual.shape(), where + ": shape");
        int n = expected.values.length;
        switch (actual.dtype()) {
            case FLOAT32:
            case FLOAT64: {
                double[] got = actual.toDoubleArray();
                assertEquals(n, got.length, where + ": element count");
                for (int i = 0; i < n; i++) {
                    double want = parseHex(expected.values[i]);
                    assertEquals(
                            Double.doubleToRawLongBits(want),
                            Double.doubleToRawLongBits(got[i]),
                            where + "[" + i + "]: expected " + want + " but was " + got[i]);
                }
                break;
            }
            case INT64:
            case INT32: {
                long[] got = actual.toLongArray();
                for (int i = 0; i < n; i++) {
                    assertEquals(Long.parseLong(expected.values[i]), got[i], where + "[" + i + "]");
                }
                break;
            }
            case BOOL: {
                boolean[] got = actual.toBooleanArray();
                for (int i = 0; i < n; i++) {
                    assertEquals(expected.values[i].equals("1"), got[i], where + "[" + i + "]");
                }
                break;
            }
            default:
                throw new AssertionError(actual.dtype());
        }
    }

    static double parseHex(String s) {
        switch (s) {
            case "inf":
                return Double.POSITIVE_INFINITY;
            case "-inf":
                return Double.NEGATIVE_INFINITY;
            case "nan":
                return Double.NaN;
            default:
                return Double.parseDouble(s);
        }
    }

    /** The Plugtorch dtype a PyTorch dtype name loads as (half precision widened). */
    static DType loadedAs(String torchDtype) {
        switch (torchDtype) {
            case "float16":
            case "bfloat16":
                return DType.FLOAT32;
            default:
                return DType.parse(torchDtype);
        }
    }
}
