package org.plugtorch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.plugtorch.registry.Backends;
import org.plugtorch.tck.ReferenceBackend;

/**
 * Tensors print exactly as PyTorch 1.13 prints them. The expected strings come from real PyTorch, recorded by
 * {@code fixtures/tensor_printing.py} into {@code fixtures/tensor_printing.txt} (its docstring describes the format).
 */
class TensorFormatterTest {
    private static final Device FAKE = Device.parse("fake:0");
    /**
     * The fixture's device cases were printed as on cuda:0; here they live on the test kit's fake device, whose name
     * has the same length, so PyTorch's line wrapping decisions carry over unchanged.
     */
    private static final String RECORDED_DEVICE = "cuda:0";

    /** One tensor as recorded in the fixture. */
    record Case(
            String name,
            DType dtype,
            long[] shape,
            String device,
            boolean requiresGrad,
            String op,
            String[] values,
            String expected) {
        @Override
        public String toString() {
            return name;
        }
    }

    @BeforeAll
    static void backend() {
        if (!Backends.devices().contains(Device.CPU)) {
            Backends.register(new ReferenceBackend());
        }
        if (!Backends.devices().contains(FAKE)) {
            Backends.register(new ReferenceBackend(FAKE.type()));
        }
    }

    static List<Case> cases() throws IOException {
        try (InputStream in = TensorFormatterTest.class.getResourceAsStream("/fixtures/tensor_printing.txt")) {
            assertNotNull(in, "fixtures/tensor_printing.txt is missing from the test resources");
            BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            List<Case> out = new ArrayList<>();
            String line;
            while ((line = reader.readLine()) != null) {
                if (!line.startsWith("#")) {
                    out.add(readCase(field(line, "case"), reader));
                }
            }
            return out;
        }
    }

    private static Case readCase(String name, BufferedReader r) throws IOException {
        DType dtype = DType.parse(field(r.readLine(), "dtype"));
        long[] shape = Arrays.stream(words(field(r.readLine(), "shape")))
                .mapToLong(Long::parseLong)
                .toArray();
        String device = field(r.readLine(), "device");
        boolean requiresGrad = Boolean.parseBoolean(field(r.readLine(), "requires_grad"));
        String op = field(r.readLine(), "op");
        String[] values = words(field(r.readLine(), "values"));
        int lines = Integer.parseInt(field(r.readLine(), "expected"));
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < lines; i++) {
            expected.add(r.readLine());
        }
        return new Case(name, dtype, shape, device, requiresGrad, op, values, String.join("\n", expected));
    }

    /** The text after {@code key} on a fixture line that must start with it. */
    private static String field(String line, String key) {
        assertTrue(
                line != null && (line.equals(key) || line.startsWith(key + " ")),
                "fixture line '" + line + "' should start with '" + key + "'");
        return line.substring(key.length()).trim();
    }

    private static String[] words(String s) {
        return s.isEmpty() ? new String[0] : s.split(" ");
    }

    /** The tensor a case describes, built on the CPU from its exact values, then viewed as the case says. */
    static Tensor build(Case c) {
        String[] v = c.values();
        Tensor t;
        switch (c.dtype()) {
            case FLOAT32: {
                float[] a = new float[v.length];
                for (int i = 0; i < v.length; i++) {
                    a[i] = (float) pythonFloat(v[i]); // the recorded double is the float32 value exactly
                }
                t = Tensor.fromArray(a, c.shape());
                break;
            }
            case FLOAT64:
                t = Tensor.fromArray(
                        Arrays.stream(v)
                                .mapToDouble(TensorFormatterTest::pythonFloat)
                                .toArray(),
                        c.shape());
                break;
            case INT64:
                t = Tensor.fromArray(Arrays.stream(v).mapToLong(Long::parseLong).toArray(), c.shape());
                break;
            case INT32:
                t = Tensor.fromArray(
                        Arrays.stream(v).mapToInt(Integer::parseInt).toArray(), c.shape());
                break;
            default: {
                boolean[] a = new boolean[v.length];
                for (int i = 0; i < v.length; i++) {
                    a[i] = v[i].equals("1");
                }
                t = Tensor.fromArray(a, c.shape());
            }
        }
        return view(t, c.op());
    }

    private static Tensor view(Tensor t, String op) {
        switch (op) {
            case "none":
                return t;
            case "t":
                return t.t();
            case "row1":
                return t.select(0, 1);
            default:
                throw new IllegalArgumentException("unknown fixture op " + op);
        }
    }

    /** Python's float repr, which Java parses exactly except for its names of the non-finite values. */
    private static double pythonFloat(String s) {
        switch (s) {
            case "nan":
                return Double.NaN;
            case "inf":
                return Double.POSITIVE_INFINITY;
            case "-inf":
                return Double.NEGATIVE_INFINITY;
            default:
                return Double.parseDouble(s);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void printsAsPyTorch(Case c) {
        Tensor t = build(c);
        String expected = c.expected();
        if (c.device().equals(RECORDED_DEVICE)) {
            t = t.to(FAKE);
            expected = expected.replace("device='" + RECORDED_DEVICE + "'", "device='" + FAKE + "'");
        } else {
            assertEquals("cpu", c.device(), "fixture device");
        }
        t.requiresGrad_(c.requiresGrad());
        assertEquals(expected, t.toString());
    }

    @Test
    void fixtureCoversEveryDTypeAndDevice() throws IOException {
        List<Case> cases = cases();
        assertTrue(cases.size() >= 40, "at least 40 recorded cases, got " + cases.size());
        assertEquals(
                Arrays.stream(DType.values()).collect(Collectors.toSet()),
                cases.stream().map(Case::dtype).collect(Collectors.toSet()));
        assertTrue(cases.stream().anyMatch(c -> c.device().equals(RECORDED_DEVICE)));
    }

    @Test
    void deviceSuffixComesFirstAndWrapsLikePyTorch() {
        Tensor t = Tensor.of(1.5, 2.0).to(FAKE).requiresGrad_(true);
        assertEquals(
                "tensor([1.5000, 2.0000], device='fake:0', dtype=torch.float64,\n       requires_grad=True)",
                t.toString());
    }

    @Test
    void emptyAndZeroDimTensorsOnADeviceKeepTheSuffixOrder() {
        assertEquals(
                "tensor([], device='fake:0', size=(0, 3), dtype=torch.int64)",
                Tensor.zeros(new long[] {0, 3}, DType.INT64, FAKE).toString());
        assertEquals(
                "tensor(True, device='fake:0')", Tensor.scalar(true).to(FAKE).toString());
    }

    @Test
    void printingDoesNotChangeTheTensor() {
        Tensor t = Tensor.of(new float[][] {{1, 2}, {3, 4}}).t();
        String first = t.toString();
        assertEquals(first, t.toString());
        assertEquals(first, t.contiguous().toString());
    }
}
