package org.plugtorch.cuda;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What {@code plugtorch.cuh} declares, read from the source itself: its {@code #define}d numbers, enum constants and
 * struct fields. The test driver decodes kernel parameters with this, independently of how the host encodes them, so
 * that the two can be checked against each other.
 */
final class CudaHeader {
    /** A struct field: its name and how many 64-bit integers it holds. */
    static final class Field {
        final String name;
        final int longs;

        Field(String name, int longs) {
            this.name = name;
            this.longs = longs;
        }

        @Override
        public String toString() {
            return name + "[" + longs + "]";
        }
    }

    private static final Pattern DEFINE = Pattern.compile("(?m)^#define\\s+(\\w+)\\s+(\\d+)\\s*$");
    private static final Pattern CONSTANT = Pattern.compile("(?m)^\\s+(PT_\\w+)\\s*=\\s*(\\d+),\\s*$");
    private static final Pattern STRUCT = Pattern.compile("(?s)struct\\s+(\\w+)\\s*\\{(.*?)\\};");
    private static final Pattern FIELD = Pattern.compile("long long\\s+(\\w+)((?:\\[\\w+\\])*);");
    private static final Pattern DIMENSION = Pattern.compile("\\[(\\w+)\\]");

    final Map<String, Long> numbers = new LinkedHashMap<>();
    final Map<String, List<Field>> structs = new LinkedHashMap<>();

    private static CudaHeader cached;

    static synchronized CudaHeader get() {
        if (cached == null) {
            cached = parse(CudaSources.read("plugtorch.cuh"));
        }
        return cached;
    }

    static CudaHeader parse(String text) {
        CudaHeader h = new CudaHeader();
        Matcher m = DEFINE.matcher(text);
        while (m.find()) {
            h.numbers.put(m.group(1), Long.parseLong(m.group(2)));
        }
        m = CONSTANT.matcher(text);
        while (m.find()) {
            h.numbers.put(m.group(1), Long.parseLong(m.group(2)));
        }
        m = STRUCT.matcher(text);
        while (m.find()) {
            List<Field> fields = new ArrayList<>();
            for (String line : m.group(2).split(";")) {
                String declaration = line.strip();
                if (declaration.isEmpty()) {
                    continue;
                }
                Matcher f = FIELD.matcher(declaration + ";");
                if (!f.matches()) {
                    throw new IllegalStateException(
                            "struct " + m.group(1) + " has a field that is not 64-bit integers: " + declaration);
                }
                int count = 1;
                Matcher d = DIMENSION.matcher(f.group(2));
                while (d.find()) {
                    count *= (int) h.number(d.group(1));
                }
                fields.add(new Field(f.group(1), count));
            }
            h.structs.put(m.group(1), fields);
        }
        return h;
    }

    long number(String name) {
        Long v = numbers.get(name);
        if (v == null) {
            throw new IllegalStateException("plugtorch.cuh does not define " + name);
        }
        return v;
    }

    /** The name of the constant {@code prefix + NAME} whose value is {@code value}, without the prefix. */
    String constantName(String prefix, long value) {
        for (Map.Entry<String, Long> e : numbers.entrySet()) {
            if (e.getKey().startsWith(prefix) && e.getValue() == value) {
                return e.getKey().substring(prefix.length());
            }
        }
        throw new IllegalStateException("plugtorch.cuh has no " + prefix + "* constant of value " + value);
    }

    /** Decodes a struct parameter into its fields, by the header's declaration order. */
    Map<String, long[]> decode(String struct, byte[] bytes) {
        List<Field> fields = structs.get(struct);
        java.nio.ByteBuffer b = java.nio.ByteBuffer.wrap(bytes).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        int total = fields.stream().mapToInt(f -> f.longs).sum() * 8;
        if (bytes.length != total) {
            throw new IllegalStateException("a " + struct + " is " + total + " bytes; got " + bytes.length);
        }
        Map<String, long[]> out = new LinkedHashMap<>();
        for (Field f : fields) {
            long[] v = new long[f.longs];
            for (int i = 0; i < v.length; i++) {
                v[i] = b.getLong();
            }
            out.put(f.name, v);
        }
        return out;
    }
}
