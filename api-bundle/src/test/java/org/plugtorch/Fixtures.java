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
 * A file of values recorded once from real PyTorch 1.13 by the script beside it: lines {@code key = dtype v1 v2 ...}
 * (floats as exact hex) or {@code key = text} (with {@code \n}, {@code \t} and {@code \\} escapes). Tests compare
 * against these, never against numbers derived from the code under test.
 */
public final class Fixtures {
    private final String resource;
    private final Map<String, String> values;

    private Fixtures(String resource, Map<String, String> values) {
        this.resource = resource;
        this.values = values;
    }

    /** The fixture file at class-path {@code resource}, such as {@code /fixtures/training/autograd_values.txt}. */
    public static Fixtures load(String resource) {
        Map<String, String> out = new LinkedHashMap<>();
        try (InputStream in = Fixtures.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalArgumentException("no fixture file " + resource + " on the class path");
            }
            BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            for (String line = r.readLine(); line != null; line = r.readLine()) {
                int eq = line.indexOf(" = ");
                if (eq > 0) {
                    out.put(line.substring(0, eq), line.substring(eq + 3));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new Fixtures(resource, out);
    }

    public boolean has(String key) {
        return values.containsKey(key);
    }

    /** A recorded fact, as written. */
    public String fact(String key) {
        String v = values.get(key);
        if (v == null) {
            throw new IllegalArgumentException("no PyTorch fixture '" + key + "' in " + resource);
        }
        return v;
    }

    /** A recorded text (a repr, an error message), escapes undone. */
    public String text(String key) {
        String raw = fact(key);
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            if (c == '\\' && i + 1 < raw.length()) {
                char n = raw.charAt(++i);
                sb.append(n == 'n' ? '\n' : n == 't' ? '\t' : n);
            } else {
                sb.append(c);
            }
        }
        return sb.toString();
    }

    /** A recorded tensor's values, flattened, as doubles (exact: they were written as hex floats). */
    public double[] values(String key) {
        String[] parts = fact(key).split(" ");
        double[] out = new double[parts.length - 1];
        for (int i = 1; i < parts.length; i++) {
            out[i - 1] = parse(parts[i]);
        }
        return out;
    }

    /** A float as Python's {@code float.hex} writes it, including {@code nan}, {@code inf} and {@code -inf}. */
    private static double parse(String v) {
        switch (v) {
            case "nan":
                return Double.NaN;
            case "inf":
                return Double.POSITIVE_INFINITY;
            case "-inf":
                return Double.NEGATIVE_INFINITY;
            default:
                return Double.parseDouble(v);
        }
    }

    /** The recorded tensor's dtype. */
    public DType dtype(String key) {
        return DType.parse(fact(key).split(" ")[0]);
    }

    /** The recorded tensor, with {@code shape}, on the CPU, in its recorded dtype. */
    public Tensor tensor(String key, long... shape) {
        double[] v = values(key);
        DType dtype = dtype(key);
        if (dtype == DType.FLOAT64) {
            return Tensor.fromArray(v, shape);
        }
        if (dtype == DType.INT64) {
            long[] l = new long[v.length];
            for (int i = 0; i < v.length; i++) {
                l[i] = (long) v[i];
            }
            return Tensor.fromArray(l, shape);
        }
        float[] f = new float[v.length];
        for (int i = 0; i < v.length; i++) {
            f[i] = (float) v[i];
        }
        return Tensor.fromArray(f, shape).to(dtype);
    }
}
