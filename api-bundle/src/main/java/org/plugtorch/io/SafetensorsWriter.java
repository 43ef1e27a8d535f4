package org.plugtorch.io;

import static org.plugtorch.spi.Preconditions.checkArgument;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.plugtorch.Tensor;

/**
 * Writes safetensors files by the reference writer's rules, so that its output is byte for byte what
 * {@code safetensors.torch.save_file} writes for the same tensors: tensors sorted by dtype (the format's dtype order,
 * descending) then by name, offsets back to back from 0, the header as compact JSON escaped as serde_json escapes
 * it, padded with spaces to a multiple of 8 bytes so that every tensor starts aligned to its element size.
 * {@code __metadata__} keeps the caller's order (the reference writer's order is its hash map's).
 */
final class SafetensorsWriter {
    private static final int CHUNK = 1 << 20;

    private SafetensorsWriter() {}

    static void write(Map<String, ? extends Tensor> tensors, Map<String, String> metadata, Path path)
            throws IOException {
        List<Map.Entry<String, Tensor>> ordered = validated(tensors, metadata);
        byte[] header = header(ordered, metadata);
        Path dir = path.toAbsolutePath().getParent();
        // beside the target, with the permissions any new file gets (Files.createTempFile would make it owner-only)
        Path temp = dir.resolve("." + path.getFileName() + "." + Long.toHexString(System.nanoTime()) + ".partial");
        try {
            try (FileChannel out = FileChannel.open(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                ByteBuffer length =
                        ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(0, header.length);
                writeFully(out, length);
                writeFully(out, ByteBuffer.wrap(header));
                ByteBuffer chunk = ByteBuffer.allocateDirect(CHUNK * 8).order(ByteOrder.LITTLE_ENDIAN);
                for (Map.Entry<String, Tensor> e : ordered) {
                    writeTensor(out, e.getValue(), chunk);
                }
                out.force(false);
            }
            // the old file stays whole until the new one is complete
            Files.move(temp, path, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    private static List<Map.Entry<String, Tensor>> validated(
            Map<String, ? extends Tensor> tensors, Map<String, String> metadata) {
        checkArgument(tensors != null, "tensors must not be null");
        List<Map.Entry<String, Tensor>> ordered = new ArrayList<>();
        for (Map.Entry<String, ? extends Tensor> e : tensors.entrySet()) {
            checkArgument(e.getKey() != null, "a tensor name is null");
            checkArgument(
                    !e.getKey().equals("__metadata__"),
                    "'__metadata__' is reserved for metadata and cannot name a tensor");
            checkArgument(e.getValue() != null, () -> "tensor '" + e.getKey() + "' is null");
            ordered.add(Map.entry(e.getKey(), e.getValue()));
        }
        if (metadata != null) {
            metadata.forEach((k, v) -> {
                checkArgument(
                        k != null && v != null,
                        () -> "metadata entry " + k + "=" + v + " has a null; "
                                + "__metadata__ maps strings to strings");
            });
        }
        List<List<String>> shared = SharedTensors.overlapping(ordered);
        checkArgument(
                shared.isEmpty(),
                () -> "Some tensors share memory, this will lead to duplicate memory on disk "
                        + "and potential differences when loading them again: " + shared
                        + ". A potential way to correctly "
                        + "save your model is Checkpoints.save(module, ...), which keeps one of tied tensors (safetensors' "
                        + "save_model), or clone() one of them.");
        // dtype and UTF-8 name worked out once per tensor, not once per comparison
        List<Sorted> keyed = new ArrayList<>(ordered.size());
        for (Map.Entry<String, Tensor> e : ordered) {
            keyed.add(new Sorted(
                    e, StoredDType.of(e.getValue().dtype()), e.getKey().getBytes(StandardCharsets.UTF_8)));
        }
        keyed.sort(Comparator.<Sorted, StoredDType>comparing(k -> k.type, Comparator.reverseOrder())
                .thenComparing((a, b) -> Arrays.compareUnsigned(a.name, b.name)));
        ordered.clear();
        for (Sorted k : keyed) {
            ordered.add(k.entry);
        }
        return ordered;
    }

    /** A tensor with what the writer sorts it by. */
    private static final class Sorted {
        final Map.Entry<String, Tensor> entry;
        final StoredDType type;
        final byte[] name;

        Sorted(Map.Entry<String, Tensor> entry, StoredDType type, byte[] name) {
            this.entry = entry;
            this.type = type;
            this.name = name;
        }
    }

    static byte[] header(List<Map.Entry<String, Tensor>> ordered, Map<String, String> metadata) {
        StringBuilder json = new StringBuilder("{");
        if (metadata != null) {
            json.append("\"__metadata__\":{");
            boolean first = true;
            for (Map.Entry<String, String> m : metadata.entrySet()) {
                json.append(first ? "" : ",");
                JsonWriter.string(json, m.getKey());
                json.append(':');
                JsonWriter.string(json, m.getValue());
                first = false;
            }
            json.append('}');
        }
        long offset = 0;
        for (Map.Entry<String, Tensor> e : ordered) {
            Tensor t = e.getValue();
            StoredDType type = StoredDType.of(t.dtype());
            long bytes = t.numel() * type.byteSize();
            json.append(json.length() == 1 ? "" : ",");
            JsonWriter.string(json, e.getKey());
            json.append(":{\"dtype\":\"").append(type.safetensorsName).append("\",\"shape\":[");
            long[] shape = t.shape();
            for (int i = 0; i < shape.length; i++) {
                json.append(i == 0 ? "" : ",").append(shape[i]);
            }
            json.append("],\"data_offsets\":[")
                    .append(offset)
                    .append(',')
                    .append(offset + bytes)
                    .append("]}");
            offset += bytes;
        }
        json.append('}');
        byte[] raw = json.toString().getBytes(StandardCharsets.UTF_8);
        int padded = (raw.length + 7) / 8 * 8;
        byte[] out = Arrays.copyOf(raw, padded);
        Arrays.fill(out, raw.length, padded, (byte) ' ');
        return out;
    }

    private static void writeTensor(FileChannel out, Tensor t, ByteBuffer chunk) throws IOException {
        long n = t.numel();
        if (n == 0) {
            return;
        }
        Tensor flat = t.contiguous().view(-1);
        for (long first = 0; first < n; first += CHUNK) {
            int count = (int) Math.min(CHUNK, n - first);
            Tensor piece = flat.narrow(0, first, count);
            chunk.clear();
            switch (t.dtype()) {
                case FLOAT32:
                    chunk.asFloatBuffer().put(piece.toFloatArray());
                    chunk.limit(count * 4);
                    break;
                case FLOAT64:
                    chunk.asDoubleBuffer().put(piece.toDoubleArray());
                    chunk.limit(count * 8);
                    break;
                case INT64:
                    chunk.asLongBuffer().put(piece.toLongArray());
                    chunk.limit(count * 8);
                    break;
                case INT32:
                    chunk.asIntBuffer().put(piece.toIntArray());
                    chunk.limit(count * 4);
                    break;
                case BOOL: {
                    boolean[] z = piece.toBooleanArray();
                    for (boolean b : z) {
                        chunk.put((byte) (b ? 1 : 0));
                    }
                    chunk.flip();
                    break;
                }
                default:
                    throw new AssertionError(t.dtype());
            }
            writeFully(out, chunk);
        }
    }

    private static void writeFully(FileChannel out, ByteBuffer b) throws IOException {
        while (b.hasRemaining()) {
            out.write(b);
        }
    }
}
