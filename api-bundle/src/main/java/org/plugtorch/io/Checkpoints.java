package org.plugtorch.io;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.plugtorch.Tensor;
import org.plugtorch.nn.IncompatibleKeys;
import org.plugtorch.nn.Module;

/**
 * Reading and writing checkpoint files: safetensors (read and write) and PyTorch's {@code torch.save} zip files
 * (read), told apart by their first bytes.
 *
 * <pre>{@code
 * Checkpoints.save(model, Path.of("model.safetensors"));                      // safetensors.torch.save_model
 * Checkpoints.loadStateDict(model, Path.of("model.pt"), LoadOptions.defaults()); // load_state_dict(torch.load(...))
 * Map<String, Tensor> sd = Checkpoints.load(path, LoadOptions.defaults().mapLocation(Device.CPU));
 * System.out.print(Checkpoints.describe(path));                                // what plugtorch inspect prints
 * }</pre>
 */
public final class Checkpoints {
    private Checkpoints() {}

    /**
     * Opens and validates a checkpoint of either format. Nothing but the header (safetensors) or the zip directory
     * and pickle (torch) is read; tensors are read when asked for.
     *
     * @throws CheckpointFormatException naming the file, the place and the problem when it is malformed, hostile or
     *                                   neither format
     */
    public static Checkpoint open(Path path) throws IOException {
        byte[] head = new byte[32];
        int n;
        try (InputStream in = Files.newInputStream(path)) {
            n = in.readNBytes(head, 0, head.length);
        }
        if (n >= 4 && head[0] == 'P' && head[1] == 'K' && head[2] == 3 && head[3] == 4) {
            return TorchZipFile.open(path);
        }
        if (n >= 8 && new String(head, 0, 8, java.nio.charset.StandardCharsets.ISO_8859_1).equals("PYTORCH1")) {
            throw new CheckpointFormatException(name(path) + ": a PYTORCH1 file (PyTorch's preview-release format), "
                    + "which PyTorch itself no longer reads");
        }
        if (n >= 2 && (head[0] & 0xff) == 0x80 && contains(head, n, LEGACY_MAGIC)) {
            throw new CheckpointFormatException(name(path) + ": a legacy torch.save file (before PyTorch 1.6, or "
                    + "saved with _use_new_zipfile_serialization=False); re-save it with a current torch.save");
        }
        return SafetensorsFile.open(path);
    }

    /** Every tensor of a checkpoint ({@code torch.load} of a state dict, or {@code safetensors.torch.load_file}). */
    public static LinkedHashMap<String, Tensor> load(Path path, LoadOptions options) throws IOException {
        try (Checkpoint c = open(path)) {
            return c.readAll(options);
        }
    }

    /**
     * {@code module.load_state_dict(torch.load(path))}, tensor by tensor straight from the file into the module's
     * parameters and buffers, with the contract's strict semantics; a failed load changes nothing.
     */
    public static IncompatibleKeys loadStateDict(Module module, Path path, LoadOptions options) throws IOException {
        try (Checkpoint c = open(path)) {
            return c.loadInto(module, options);
        }
    }

    /**
     * Writes tensors as safetensors ({@code safetensors.torch.save_file}); the file is replaced only once the new one
     * is complete. Tensors that share memory are refused, as there; {@code metadata} may be null.
     */
    public static void saveSafetensors(Map<String, ? extends Tensor> tensors, Map<String, String> metadata, Path path)
            throws IOException {
        SafetensorsWriter.write(tensors, metadata, path);
    }

    /** {@code save(module, null, path)}. */
    public static void save(Module module, Path path) throws IOException {
        save(module, null, path);
    }

    /**
     * Writes a module's state dict as safetensors, as {@code safetensors.torch.save_model} does: of tied tensors
     * (one tensor under several keys) only the first key in sorted order is written, and metadata records each
     * dropped key with the key kept; {@link #loadStateDict} restores them into a module tied the same way.
     */
    public static void save(Module module, Map<String, String> metadata, Path path) throws IOException {
        LinkedHashMap<String, Tensor> state = module.stateDict();
        Map<String, String> meta = metadata == null ? null : new LinkedHashMap<>(metadata);
        for (List<String> group : MappedCheckpoint.tiedGroups(state)) {
            if (group.size() > 1) {
                List<String> sorted = new ArrayList<>(group);
                Collections.sort(sorted, Checkpoints::compareCodePoints);
                String kept = sorted.get(0);
                for (String dropped : sorted.subList(1, sorted.size())) {
                    if (meta == null) {
                        meta = new LinkedHashMap<>();
                    }
                    meta.putIfAbsent(dropped, kept);
                    state.remove(dropped);
                }
            }
        }
        SafetensorsWriter.write(state, meta, path);
    }

    /** Python's string order, by code point. */
    private static int compareCodePoints(String a, String b) {
        return java.util.Arrays.compare(a.codePoints().toArray(), b.codePoints().toArray());
    }

    /** What {@code plugtorch inspect FILE} prints: format, metadata, and each tensor's name, dtype, shape and bytes. */
    public static String describe(Path path) throws IOException {
        try (Checkpoint c = open(path)) {
            return CheckpointDescription.of(c);
        }
    }

    /** torch.serialization's MAGIC_NUMBER 0x1950a86a20f9469cfc6c as its pickled LONG1 bytes: legacy files start so. */
    private static final byte[] LEGACY_MAGIC = {
        (byte) 0x8a, 0x0a, 0x6c, (byte) 0xfc, (byte) 0x9c, 0x46, (byte) 0xf9, 0x20, 0x6a, (byte) 0xa8, 0x50, 0x19
    };

    private static boolean contains(byte[] b, int length, byte[] needle) {
        for (int i = 0; i + needle.length <= length; i++) {
            if (java.util.Arrays.equals(b, i, i + needle.length, needle, 0, needle.length)) {
                return true;
            }
        }
        return false;
    }

    static String name(Path path) {
        Path f = path.getFileName();
        return f == null ? path.toString() : f.toString();
    }
}
