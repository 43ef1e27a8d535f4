package org.plugtorch;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Values recorded once from real PyTorch 1.13 by {@code src/test/resources/fixtures/core_values.py}, so that tests
 * compare against PyTorch itself and not against numbers derived from the code under test.
 */
public final class PyTorchFixtures {
    private static final Map<String, String> VALUES = load();

    private PyTorchFixtures() {
    }

    private static Map<String, String> load() {
        Map<String, String> out = new LinkedHashMap<>();
        try (InputStream in = PyTorchFixtures.class.getResourceAsStream("/fixtures/core_values.txt");
             BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            for (String line = r.readLine(); line != null; line = r.readLine()) {
                int eq = line.indexOf(" = ");
                if (eq > 0) {
                    out.put(line.substring(0, eq), line.substring(eq + 3));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }

    /** A recorded fact, such as a dtype name. */
    public static String fact(String key) {
        String v = VALUES.get(key);
        if (v == null) {
            throw new IllegalArgumentException("no PyTorch fixture '" + key + "'");
        }
        return v;
    }

    /** A recorded tensor's values, flattened, as doubles (exact: they were written as hex floats). */
    public static double[] values(String key) {
        String[] parts = fact(key).split(" ");
        double[] out = new double[parts.length - 1];
        for (int i = 1; i < parts.length; i++) {
            out[i - 1] = Double.parseDouble(parts[i]);
        }
        return out;
    }

    /** The recorded tensor's dtype. */
    public static DType dtype(String key) {
        return DType.parse(fact(key).split(" ")[0]);
    }
}
