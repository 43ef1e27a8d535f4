package org.plugtorch.io;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.plugtorch.nn.Module;

/**
 * A safetensors file: {@code u64} header length N, N bytes of JSON header, then the tensors' bytes. Opening it
 * validates everything the reference reader validates (and reports it by name and place): header size limits, UTF-8,
 * strict JSON without duplicate keys, only {@code dtype}/{@code shape}/{@code data_offsets} per tensor, known dtypes,
 * sizes that match shapes, offsets that tile the data exactly from 0 with no gap or overlap, and no trailing bytes.
 */
final class SafetensorsFile extends MappedCheckpoint {
    /** The reference reader's limit on the header. */
    static final long MAX_HEADER = 100_000_000L;

    private SafetensorsFile(MappedFile file, LinkedHashMap<String, TensorEntry> entries, Map<String, String> metadata) {
        super(file, entries, metadata);
    }

    @Override
    public String format() {
        return "safetensors";
    }

    static SafetensorsFile open(Path path) throws IOException {
        MappedFile file = MappedFile.open(path);
        try {
            return parse(file);
        } catch (IOException | RuntimeException e) {
            file.close();
            throw e;
        }
    }

    /** A parsed entry before the offsets are checked against each other. */
    private static final class Declared {
        final String name;
        final StoredDType type;
        final long[] shape;
        final long begin;
        final long end;

        Declared(String name, StoredDType type, long[] shape, long begin, long end) {
            this.name = name;
            this.type = type;
            this.shape = shape;
            this.begin = begin;
            this.end = end;
        }

        String offsets() {
            return "data_offsets [" + begin + ", " + end + "]";
        }
    }

    private static SafetensorsFile parse(MappedFile file) throws IOException {
        String f = file.name();
        long size = file.size();
        if (size < 8) {
            throw new CheckpointFormatException(f + ": " + size + " bytes is too short for a safetensors file "
                    + "(its header length alone takes 8)");
        }
        long n = file.slice(0, 8).getLong(0);
        if (Long.compareUnsigned(n, MAX_HEADER) > 0) {
            throw new CheckpointFormatException(f + ": header length " + Long.toUnsignedString(n)
                    + " (bytes 0-7) exceeds the " + MAX_HEADER + "-byte limit");
        }
        if (8 + n > size) {
            throw new CheckpointFormatException(f + ": header length " + n + " (bytes 0-7) runs past the end of the "
                    + "file (" + size + " bytes): the file is truncated or not safetensors");
        }
        byte[] header = new byte[(int) n];
        file.slice(8, (int) n).get(header);
        checkUtf8(f, header);
        Object json;
        try {
            json = JsonParser.parse(header);
        } catch (JsonParser.SyntaxException e) {
            throw new CheckpointFormatException(f + ": header is not valid JSON: " + e.getMessage() + " at header byte "
                    + e.position + " (file byte " + (8 + e.position) + ")");
        }
        if (!(json instanceof Map)) {
            throw new CheckpointFormatException(f + ": header must be a JSON object, found " + JsonTypes.name(json));
        }
        Map<String, String> metadata = new LinkedHashMap<>();
        List<Declared> declared = new ArrayList<>();
        for (Map.Entry<?, ?> e : ((Map<?, ?>) json).entrySet()) {
            String key = (String) e.getKey();
            if (key.equals("__metadata__")) {
                metadata = metadata(f, e.getValue());
            } else {
                declared.add(tensor(f, key, e.getValue()));
            }
        }
        long dataStart = 8 + n;
        long dataLength = size - dataStart;
        declared.sort(Comparator.<Declared>comparingLong(d -> d.begin).thenComparingLong(d -> d.end));
        long expectedBegin = 0;
        Declared previous = null;
        for (Declared d : declared) {
            if (d.begin != expectedBegin) {
                String where = previous == null
                        ? "the first tensor must start at 0"
                        : (d.begin < expectedBegin ? "it overlaps" : "it leaves a gap after") + " tensor '"
                                + previous.name + "' (" + previous.offsets() + ")";
                throw new CheckpointFormatException(f + ": tensor '" + d.name + "' has " + d.offsets() + ": " + where);
            }
            if (d.end > dataLength) {
                throw new CheckpointFormatException(f + ": tensor '" + d.name + "' has " + d.offsets() + " but the "
                        + "data holds " + dataLength + " bytes: the file is truncated");
            }
            expectedBegin = d.end;
            previous = d;
        }
        if (expectedBegin != dataLength) {
            throw new CheckpointFormatException(f + ": the tensors end at data byte " + expectedBegin + " but the data "
                    + "holds " + dataLength + " bytes: " + (dataLength - expectedBegin) + " trailing bytes");
        }
        LinkedHashMap<String, TensorEntry> entries = new LinkedHashMap<>();
        for (Declared d : declared) {
            StoredTensor stored = StoredTensor.contiguous(file, dataStart + d.begin, d.type, d.shape);
            entries.put(d.name, new TensorEntry(d.name, d.type.safetensorsName, stored, null));
        }
        return new SafetensorsFile(file, entries, metadata);
    }

    private static void checkUtf8(String f, byte[] header) throws CheckpointFormatException {
        int at = Utf8.firstInvalid(header);
        if (at >= 0) {
            throw new CheckpointFormatException(
                    f + ": header is not valid UTF-8 at header byte " + at + " (file byte " + (8 + at) + ")");
        }
    }

    private static Map<String, String> metadata(String f, Object value) throws CheckpointFormatException {
        if (!(value instanceof Map)) {
            throw new CheckpointFormatException(
                    f + ": __metadata__ must be an object of strings, found " + JsonTypes.name(value));
        }
        Map<String, String> out = new LinkedHashMap<>();
        for (Map.Entry<?, ?> e : ((Map<?, ?>) value).entrySet()) {
            if (!(e.getValue() instanceof String)) {
                throw new CheckpointFormatException(f + ": __metadata__ value of '" + e.getKey()
                        + "' must be a string, " + "found " + JsonTypes.name(e.getValue()));
            }
            out.put((String) e.getKey(), (String) e.getValue());
        }
        return out;
    }

    private static Declared tensor(String f, String name, Object value) throws CheckpointFormatException {
        String where = f + ": tensor '" + name + "'";
        if (!(value instanceof Map)) {
            throw new CheckpointFormatException(
                    where + " must be an object with dtype, shape and data_offsets, found " + JsonTypes.name(value));
        }
        Map<?, ?> fields = (Map<?, ?>) value;
        for (Object k : fields.keySet()) {
            if (!k.equals("dtype") && !k.equals("shape") && !k.equals("data_offsets")) {
                throw new CheckpointFormatException(
                        where + " has an unknown field '" + k + "' (allowed: dtype, shape, data_offsets)");
            }
        }
        for (String required : new String[] {"dtype", "shape", "data_offsets"}) {
            if (!fields.containsKey(required)) {
                throw new CheckpointFormatException(where + " has no '" + required + "'");
            }
        }
        if (!(fields.get("dtype") instanceof String)) {
            throw new CheckpointFormatException(
                    where + ": dtype must be a string, found " + JsonTypes.name(fields.get("dtype")));
        }
        String dtypeName = (String) fields.get("dtype");
        StoredDType type = StoredDType.ofSafetensors(dtypeName);
        if (type == null) {
            throw new CheckpointFormatException(where + " has unknown dtype '" + dtypeName + "'");
        }
        long[] shape = JsonTypes.longs(fields.get("shape"), -1);
        if (shape == null) {
            throw new CheckpointFormatException(where + ": shape must be a list of non-negative integers, found "
                    + JsonTypes.describe(fields.get("shape")));
        }
        long[] offsets = JsonTypes.longs(fields.get("data_offsets"), 2);
        if (offsets == null) {
            throw new CheckpointFormatException(where + ": data_offsets must be two non-negative integers, found "
                    + JsonTypes.describe(fields.get("data_offsets")));
        }
        if (offsets[1] < offsets[0]) {
            throw new CheckpointFormatException(where + " has data_offsets [" + offsets[0] + ", " + offsets[1]
                    + "]: the end comes before the begin");
        }
        long numel = Sizes.checkedNumel(shape);
        long bits = numel < 0 ? -1 : multiplyOrNegative(numel, type.bits);
        if (bits < 0) {
            throw new CheckpointFormatException(
                    where + " has shape " + Sizes.list(shape) + " whose size in bytes " + "overflows");
        }
        if (bits % 8 != 0) {
            throw new CheckpointFormatException(where + ": " + numel + " elements of " + dtypeName + " (" + type.bits
                    + " bits each) do not fill whole bytes");
        }
        long bytes = bits / 8;
        if (offsets[1] - offsets[0] != bytes) {
            throw new CheckpointFormatException(where + " has data_offsets [" + offsets[0] + ", " + offsets[1]
                    + "] holding " + (offsets[1] - offsets[0]) + " bytes, but dtype " + dtypeName + " and shape "
                    + Sizes.list(shape) + " need " + bytes);
        }
        return new Declared(name, type, shape, offsets[0], offsets[1]);
    }

    private static long multiplyOrNegative(long a, long b) {
        try {
            return Math.multiplyExact(a, b);
        } catch (ArithmeticException e) {
            return -1;
        }
    }

    @Override
    void addTiedAliases(Module module, LinkedHashMap<String, TensorEntry> byKey) {
        for (List<String> group : tiedGroups(module)) {
            TensorEntry present = null;
            for (String key : group) {
                if (byKey.containsKey(key)) {
                    present = byKey.get(key);
                    break;
                }
            }
            if (present != null) {
                for (String key : group) {
                    byKey.putIfAbsent(key, present);
                }
            }
        }
    }
}
