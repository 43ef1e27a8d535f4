package org.plugtorch.io;

import static org.plugtorch.spi.Preconditions.checkArgument;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.plugtorch.DType;
import org.plugtorch.Device;
import org.plugtorch.Tensor;
import org.plugtorch.internal.runtime.Tensors;
import org.plugtorch.nn.IncompatibleKeys;
import org.plugtorch.nn.Module;
import org.plugtorch.registry.Backends;

/** What both formats share once a file is validated: entries over a mapped file, and reading them into tensors. */
abstract class MappedCheckpoint implements Checkpoint {
    final MappedFile file;
    final LinkedHashMap<String, TensorEntry> entries;
    final Map<String, String> metadata;
    final TensorTransfer transfer = new TensorTransfer();
    /** The elements of tensor data the file holds (each storage once). */
    final long dataElements;

    /** Elements a load may copy beyond what the file holds, for views whose elements overlap (a few megabytes). */
    static final long COPY_SLACK = 1 << 20;

    /** For files whose entries are their own storages (safetensors): the data is the entries' elements. */
    MappedCheckpoint(MappedFile file, LinkedHashMap<String, TensorEntry> entries, Map<String, String> metadata) {
        this(
                file,
                entries,
                metadata,
                entries.values().stream().mapToLong(TensorEntry::numel).sum());
    }

    MappedCheckpoint(
            MappedFile file,
            LinkedHashMap<String, TensorEntry> entries,
            Map<String, String> metadata,
            long dataElements) {
        this.file = file;
        this.entries = entries;
        this.metadata = Collections.unmodifiableMap(metadata);
        this.dataElements = dataElements;
    }

    @Override
    public Path path() {
        return file.path();
    }

    @Override
    public List<TensorEntry> entries() {
        return List.copyOf(entries.values());
    }

    @Override
    public TensorEntry entry(String name) {
        TensorEntry e = entries.get(name);
        checkArgument(
                e != null,
                () -> file.name() + " has no tensor '" + name + "' (it has " + entries.size() + ": "
                        + preview(entries.keySet()) + ")");
        return e;
    }

    private static String preview(java.util.Collection<String> names) {
        List<String> shown = new ArrayList<>();
        for (String n : names) {
            if (shown.size() == 8) {
                shown.add("...");
                break;
            }
            shown.add("'" + n + "'");
        }
        return String.join(", ", shown);
    }

    @Override
    public Map<String, String> metadata() {
        return metadata;
    }

    @Override
    public Tensor read(String name, LoadOptions options) throws IOException {
        TensorEntry e = entry(name);
        checkReadable(e, options);
        return copy(e, device(e, options), new long[] {copyAllowance()});
    }

    /** What one load may copy in all: the file's elements and {@link #COPY_SLACK}. */
    long copyAllowance() {
        return dataElements + COPY_SLACK;
    }

    /**
     * A new tensor holding a stored tensor's values. Broadcast dimensions (stride 0) are read once and expanded, so
     * the result is a view there, as {@code torch.load} gives it, whatever size the view declares; the rest is
     * copied, and may not take more than {@code allowance[0]} elements, which it reduces: a view whose elements
     * overlap ({@code as_strided((n, n), (1, 1))}) could otherwise make a few bytes of file read as gigabytes.
     */
    Tensor copy(TensorEntry e, Device device, long[] allowance) throws IOException {
        StoredTensor s = e.stored();
        StoredTensor compact = s.compact();
        long n = compact.numel();
        if (n > allowance[0]) {
            throw new CheckpointFormatException(file.name() + ": tensor '" + e.name() + "' (size "
                    + Sizes.list(s.shape) + ", stride " + Sizes.list(s.strides) + ") would be a copy of " + n
                    + " elements, more than the " + dataElements + " elements of tensor data in the file allow: its "
                    + "elements overlap, and Plugtorch makes no view with overlapping strides");
        }
        allowance[0] -= n;
        Tensor t = transfer.readNew(compact, e.name(), device);
        return compact == s ? t : t.expand(s.shape);
    }

    @Override
    public LinkedHashMap<String, Tensor> readAll(LoadOptions options) throws IOException {
        for (TensorEntry e : entries.values()) {
            checkReadable(e, options);
            device(e, options);
        }
        LinkedHashMap<String, TensorEntry> byKey = strippedEntries(options);
        List<ParallelReads.Read> reads = new ArrayList<>();
        long bytes = 0;
        for (TensorEntry e : byKey.values()) {
            Device device = device(e, options);
            reads.add(() -> transfer.readNew(e.stored(), e.name(), device));
            bytes = addBytes(bytes, e.stored(), device);
        }
        Tensor[] tensors = ParallelReads.run(reads, bytes);
        LinkedHashMap<String, Tensor> out = new LinkedHashMap<>();
        int i = 0;
        for (String key : byKey.keySet()) {
            out.put(key, tensors[i++]);
        }
        return out;
    }

    /**
     * The bytes a load copies so far plus those of one more tensor, for {@link ParallelReads}; -1 from the first tensor
     * bound for another device on, so that such a load runs on the calling thread alone: device backends need not
     * take copies from several threads at once.
     */
    static long addBytes(long sum, StoredTensor s, Device device) {
        return sum < 0 || !device.isCpu() ? -1 : sum + s.numel() * Math.max(1, s.type.bits / 8);
    }

    /** Entries under their keys after {@code options}' prefix stripping. */
    LinkedHashMap<String, TensorEntry> strippedEntries(LoadOptions options) {
        return StateDicts.stripPrefix(entries, options.stripPrefix());
    }

    @Override
    public IncompatibleKeys loadInto(Module module, LoadOptions options) throws IOException {
        LinkedHashMap<String, TensorEntry> byKey = strippedEntries(options);
        addTiedAliases(module, byKey);
        Map<String, Tensor> expected = module.stateDict();
        LinkedHashMap<String, long[]> shapes = new LinkedHashMap<>();
        for (Map.Entry<String, TensorEntry> e : byKey.entrySet()) {
            TensorEntry entry = e.getValue();
            if (expected.containsKey(e.getKey()) && entry.stored().type.hostType() == null) {
                throw new CheckpointFormatException(file.name() + ": tensor '" + entry.name() + "' has dtype "
                        + entry.dtypeName() + ", which Plugtorch cannot load into " + e.getKey());
            }
            shapes.put(e.getKey(), entry.stored().shape);
        }
        try {
            return module.loadStateDict(
                    shapes,
                    (key, target) -> transfer.copyIntoUnchecked(byKey.get(key).stored(), target),
                    options.strict());
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }

    /**
     * Where the format cannot represent tied tensors (safetensors), a module's tied keys that the file lacks are
     * loaded from the tied key it has, as {@code safetensors.torch.load_model} does. Torch files keep every key.
     */
    void addTiedAliases(Module module, LinkedHashMap<String, TensorEntry> byKey) {}

    /**
     * The module's keys grouped by the tensor they name (the same view of the same storage): tied parameters are one
     * group. Groups in the order of their first key; one pass, keyed by storage and view.
     */
    static List<List<String>> tiedGroups(Module module) {
        return tiedGroups(module.stateDict());
    }

    /** {@link #tiedGroups(Module)} of a state dict the caller has already made. */
    static List<List<String>> tiedGroups(Map<String, Tensor> stateDict) {
        Map<ViewKey, List<String>> groups = new LinkedHashMap<>();
        for (Map.Entry<String, Tensor> e : stateDict.entrySet()) {
            groups.computeIfAbsent(new ViewKey(e.getValue()), k -> new ArrayList<>(1))
                    .add(e.getKey());
        }
        return new ArrayList<>(groups.values());
    }

    /** A view as a map key: its storage (by identity), offset, shape and strides. */
    private static final class ViewKey {
        private final Object storage;
        private final long offset;
        private final long[] shape;
        private final long[] strides;
        private final int hash;

        ViewKey(Tensor t) {
            storage = Tensors.impl(t).storage;
            offset = t.storageOffset();
            shape = t.shape();
            strides = t.stride();
            hash = (System.identityHashCode(storage) * 31 + Long.hashCode(offset)) * 31 + Arrays.hashCode(shape);
        }

        @Override
        public int hashCode() {
            return hash;
        }

        @Override
        public boolean equals(Object o) {
            if (!(o instanceof ViewKey)) {
                return false;
            }
            ViewKey k = (ViewKey) o;
            return k.storage == storage
                    && k.offset == offset
                    && Arrays.equals(k.shape, shape)
                    && Arrays.equals(k.strides, strides);
        }
    }

    void checkReadable(TensorEntry e, LoadOptions options) throws CheckpointFormatException {
        StoredDType type = e.stored().type;
        if (type.readAs(options.widenHalfPrecision()) != null) {
            return;
        }
        String hint = type.isHalfPrecisionFloat()
                ? "; read it as float32 with LoadOptions.widenHalfPrecision(true)"
                : " (Plugtorch holds " + Arrays.toString(DType.values()) + ")";
        throw new CheckpointFormatException(file.name() + ": tensor '" + e.name() + "' has dtype " + e.dtypeName()
                + ", which Plugtorch has no dtype for" + hint);
    }

    /** The device a tensor goes to: the mapped one, else where it was saved, else the CPU. */
    Device device(TensorEntry e, LoadOptions options) throws CheckpointFormatException {
        String location = e.location() == null ? "cpu" : e.location();
        Device mapped = options.mapped(location);
        Device device = mapped != null ? mapped : Device.parse(location);
        if (device.isCpu()) {
            return device;
        }
        try {
            Backends.forDevice(device);
        } catch (IllegalStateException unavailable) {
            throw new CheckpointFormatException(
                    file.name() + ": tensor '" + e.name() + "' goes to " + device
                            + (mapped == null ? ", where it was saved," : "") + " but " + unavailable.getMessage()
                            + (mapped == null ? "; choose a device with LoadOptions.mapLocation" : ""),
                    unavailable);
        }
        return device;
    }

    @Override
    public void close() throws IOException {
        file.close();
    }
}
