package org.plugtorch.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.plugtorch.Device;
import org.plugtorch.Tensor;
import org.plugtorch.nn.IncompatibleKeys;
import org.plugtorch.nn.Module;

/**
 * A file written by {@code torch.save} (PyTorch 1.6 and later: a zip archive of {@code <archive>/data.pkl} and one
 * record {@code <archive>/data/<key>} per storage). Opening it reads the zip directory and unpickles
 * {@code data.pkl} with the {@link RestrictedUnpickler}; every storage reference and tensor view is checked against
 * the records (types, sizes, bounds) before any tensor can be read. Tensors are found through dicts, lists and tuples
 * and named by their path ({@code fc.weight} for a state dict; {@code model.fc.weight} inside a training checkpoint).
 */
final class TorchZipFile extends MappedCheckpoint {
    /** The largest data.pkl accepted: pickles of real state dicts are a few hundred bytes per tensor. */
    private static final int MAX_PICKLE = MappedFile.MAX_SLICE;

    private final ZipDirectory zip;
    private final Map<String, TorchTensorRecord> records;
    private final Set<String> verified = Collections.synchronizedSet(new java.util.HashSet<>());

    private TorchZipFile(MappedFile file, ZipDirectory zip, LinkedHashMap<String, TensorEntry> entries,
                         Map<String, TorchTensorRecord> records, Map<String, String> metadata) {
        super(file, entries, metadata);
        this.zip = zip;
        this.records = records;
    }

    @Override
    public String format() {
        return "torch";
    }

    static TorchZipFile open(Path path) throws IOException {
        MappedFile file = MappedFile.open(path);
        try {
            return parse(file);
        } catch (IOException | RuntimeException e) {
            file.close();
            throw e;
        }
    }

    private static TorchZipFile parse(MappedFile file) throws IOException {
        String f = file.name();
        ZipDirectory zip = ZipDirectory.read(file);
        if (zip.records().isEmpty()) {
            throw new CheckpointFormatException(f + ": an empty zip archive, not a torch.save file");
        }
        String first = zip.records().keySet().iterator().next();
        int slash = first.indexOf('/');
        if (slash < 0) {
            throw new CheckpointFormatException(f + ": record '" + PickleTypes.printable(first) + "' is not in a "
                    + "subdirectory, as every record of a torch.save archive is");
        }
        String prefix = first.substring(0, slash + 1);
        Map<String, String> metadata = new LinkedHashMap<>();
        for (String name : new String[] {".data/version", "version", "byteorder"}) {
            ZipDirectory.Record r = zip.records().get(prefix + name);
            if (r != null) {
                metadata.put(name.equals(".data/version") ? "version" : name, smallText(file, zip, r));
            }
        }
        String byteOrder = metadata.getOrDefault("byteorder", "little");
        if (!byteOrder.equals("little")) {
            throw new CheckpointFormatException(f + ": record '" + prefix + "byteorder' says '"
                    + PickleTypes.printable(byteOrder) + "'; only little-endian files are supported");
        }
        ZipDirectory.Record pickle = zip.records().get(prefix + "data.pkl");
        if (pickle == null) {
            throw new CheckpointFormatException(f + ": no record '" + PickleTypes.printable(prefix) + "data.pkl': not "
                    + "a torch.save file (a TorchScript archive holds code, which Plugtorch does not run)");
        }
        if (pickle.size > MAX_PICKLE) {
            throw new CheckpointFormatException(f + ": record '" + prefix + "data.pkl' holds " + pickle.size
                    + " bytes, more than the " + MAX_PICKLE + " a state dict's pickle could need");
        }
        zip.checkCrc(pickle);
        StorageResolver storages = new StorageResolver(f, zip, prefix);
        Object root;
        try {
            root = RestrictedUnpickler.load(file.slice(pickle.dataOffset, (int) pickle.size), storages::load,
                    TorchZipFile::rebuild);
        } catch (RestrictedUnpickler.UnpicklingException e) {
            throw new CheckpointFormatException(f + ": " + prefix + "data.pkl byte " + e.position + ": "
                    + e.getMessage());
        }
        LinkedHashMap<String, TorchTensorRecord> tensors = new LinkedHashMap<>();
        collect(f, root, tensors, metadata);
        LinkedHashMap<String, TensorEntry> entries = new LinkedHashMap<>();
        for (Map.Entry<String, TorchTensorRecord> e : tensors.entrySet()) {
            TorchTensorRecord t = e.getValue();
            StoredTensor stored = new StoredTensor(file, t.storage.record.dataOffset, t.storage.type, t.storage.numel,
                    t.offset, t.shape, t.strides);
            entries.put(e.getKey(), new TensorEntry(e.getKey(), "torch." + t.storage.type.torchName, stored,
                    t.storage.location));
        }
        return new TorchZipFile(file, zip, entries, tensors, metadata);
    }

    private static String smallText(MappedFile file, ZipDirectory zip, ZipDirectory.Record r) throws IOException {
        if (r.size > 64) {
            throw new CheckpointFormatException(file.name() + ": record '" + PickleTypes.printable(r.name) + "' holds "
                    + r.size + " bytes; it should hold a short text");
        }
        zip.checkCrc(r);
        byte[] b = new byte[(int) r.size];
        file.slice(r.dataOffset, b.length).get(b);
        if (Utf8.firstInvalid(b) >= 0) {
            throw new CheckpointFormatException(file.name() + ": record '" + PickleTypes.printable(r.name)
                    + "' is not text");
        }
        return new String(b, StandardCharsets.UTF_8).strip();
    }

    /** Resolves persistent ids to storage records, checking each against the archive. */
    private static final class StorageResolver {
        private final String file;
        private final ZipDirectory zip;
        private final String prefix;
        private final Map<String, TorchStorageRef> seen = new HashMap<>();

        StorageResolver(String file, ZipDirectory zip, String prefix) {
            this.file = file;
            this.zip = zip;
            this.prefix = prefix;
        }

        Object load(Object pid, long position) throws RestrictedUnpickler.UnpicklingException {
            if (!(pid instanceof PyTuple) || ((PyTuple) pid).size() != 5 || !"storage".equals(((PyTuple) pid).get(0))) {
                throw new RestrictedUnpickler.UnpicklingException("a persistent id must be ('storage', storage type, "
                        + "key, location, size), found " + PickleTypes.name(pid), position);
            }
            PyTuple t = (PyTuple) pid;
            if (!(t.get(1) instanceof TorchGlobal) || ((TorchGlobal) t.get(1)).kind != TorchGlobal.Kind.STORAGE_CLASS) {
                throw new RestrictedUnpickler.UnpicklingException("a storage's type is " + PickleTypes.name(t.get(1))
                        + ", not a torch storage class", position);
            }
            if (!(t.get(2) instanceof String) || !(t.get(3) instanceof String) || !(t.get(4) instanceof Long)
                    || (Long) t.get(4) < 0) {
                throw new RestrictedUnpickler.UnpicklingException("a storage reference needs a string key, a string "
                        + "location and a non-negative size, found " + PickleTypes.name(t.get(2)) + ", "
                        + PickleTypes.name(t.get(3)) + ", " + PickleTypes.name(t.get(4)), position);
            }
            StoredDType type = ((TorchGlobal) t.get(1)).storageType;
            String key = (String) t.get(2);
            String location = (String) t.get(3);
            long numel = (Long) t.get(4);
            String name = "storage '" + PickleTypes.printable(key) + "'";
            try {
                Device.parse(location);
            } catch (IllegalArgumentException e) {
                throw new RestrictedUnpickler.UnpicklingException(name + " has location '"
                        + PickleTypes.printable(location) + "', which is not a device", position);
            }
            TorchStorageRef earlier = seen.get(key);
            if (earlier != null) {
                if (earlier.type != type || earlier.numel != numel || !earlier.location.equals(location)) {
                    throw new RestrictedUnpickler.UnpicklingException(name + " is referenced as " + type.storageClass
                            + " of " + numel + " elements at " + PickleTypes.printable(location) + " after "
                            + earlier.type.storageClass + " of " + earlier.numel + " elements at "
                            + earlier.location, position);
                }
                return earlier;
            }
            ZipDirectory.Record record = zip.records().get(prefix + "data/" + key);
            if (record == null) {
                throw new RestrictedUnpickler.UnpicklingException(name + " has no record '"
                        + PickleTypes.printable(prefix) + "data/" + PickleTypes.printable(key) + "' in the archive",
                        position);
            }
            long bytes = numel > Long.MAX_VALUE / type.byteSize() ? -1 : numel * type.byteSize();
            if (bytes != record.size) {
                throw new RestrictedUnpickler.UnpicklingException(name + " declares " + numel + " elements of "
                        + type.torchName + (bytes < 0 ? ", more bytes than a file can hold," : " (" + bytes + " bytes)")
                        + " but its record holds " + record.size + " bytes", position);
            }
            TorchStorageRef ref = new TorchStorageRef(key, type, location, numel, record);
            seen.put(key, ref);
            return ref;
        }
    }

    /** {@code _rebuild_tensor_v2(storage, offset, size, stride, requires_grad, hooks[, metadata])} and {@code _rebuild_parameter}. */
    private static Object rebuild(TorchGlobal function, PyTuple args, long position)
            throws RestrictedUnpickler.UnpicklingException {
        if (function.kind == TorchGlobal.Kind.REBUILD_PARAMETER) {
            if (args.size() != 3 || !(args.get(0) instanceof TorchTensorRecord) || !(args.get(1) instanceof Boolean)
                    || !isEmptyDict(args.get(2))) {
                throw new RestrictedUnpickler.UnpicklingException(function + " takes (tensor, requires_grad, empty "
                        + "hooks)", position);
            }
            TorchTensorRecord data = (TorchTensorRecord) args.get(0);
            return new TorchTensorRecord(data.storage, data.offset, data.shape, data.strides, (Boolean) args.get(1));
        }
        if ((args.size() != 6 && args.size() != 7) || !(args.get(0) instanceof TorchStorageRef)
                || !(args.get(1) instanceof Long) || !(args.get(4) instanceof Boolean)) {
            throw new RestrictedUnpickler.UnpicklingException(function + " takes (storage, offset, size, stride, "
                    + "requires_grad, hooks[, metadata]), found " + args.size() + " arguments", position);
        }
        if (!isEmptyDict(args.get(5))) {
            throw new RestrictedUnpickler.UnpicklingException(function + ": backward hooks are code and cannot be "
                    + "loaded; they must be empty", position);
        }
        if (args.size() == 7 && !(args.get(6) == null || isEmptyDict(args.get(6)))) {
            throw new RestrictedUnpickler.UnpicklingException(function + ": tensor metadata (Python attributes) is "
                    + "not supported", position);
        }
        TorchStorageRef storage = (TorchStorageRef) args.get(0);
        long offset = (Long) args.get(1);
        long[] shape = longs(args.get(2));
        long[] strides = longs(args.get(3));
        if (shape == null || strides == null || shape.length != strides.length || offset < 0) {
            throw new RestrictedUnpickler.UnpicklingException(function + ": offset, size and stride must be a "
                    + "non-negative integer and two tuples of as many non-negative integers", position);
        }
        if (shape.length > 64) {
            throw new RestrictedUnpickler.UnpicklingException("a tensor of " + shape.length + " dimensions; PyTorch "
                    + "allows at most 64", position);
        }
        long numel = Sizes.checkedNumel(shape);
        if (numel < 0) {
            throw new RestrictedUnpickler.UnpicklingException("a tensor of size " + Sizes.list(shape)
                    + " has more elements than a long counts", position);
        }
        if (numel > 0) {
            long last = offset;
            try {
                for (int d = 0; d < shape.length; d++) {
                    last = Math.addExact(last, Math.multiplyExact(shape[d] - 1, strides[d]));
                }
            } catch (ArithmeticException e) {
                last = Long.MAX_VALUE;
            }
            if (last >= storage.numel) {
                throw new RestrictedUnpickler.UnpicklingException("a tensor of size " + Sizes.list(shape) + ", stride "
                        + Sizes.list(strides) + " at offset " + offset + " reaches element " + last + " of storage '"
                        + PickleTypes.printable(storage.key) + "', which holds " + storage.numel, position);
            }
        }
        return new TorchTensorRecord(storage, offset, shape, strides, (Boolean) args.get(4));
    }

    private static boolean isEmptyDict(Object o) {
        return o instanceof Map && ((Map<?, ?>) o).isEmpty();
    }

    private static long[] longs(Object o) {
        if (!(o instanceof PyTuple)) {
            return null;
        }
        PyTuple t = (PyTuple) o;
        long[] out = new long[t.size()];
        for (int i = 0; i < out.length; i++) {
            if (!(t.get(i) instanceof Long) || (Long) t.get(i) < 0) {
                return null;
            }
            out[i] = (Long) t.get(i);
        }
        return out;
    }

    /**
     * Finds every tensor under the root, breadth-first, named by its key path, and the {@code _metadata} of
     * OrderedDicts; without recursion, each container visited once.
     */
    private static void collect(String f, Object root, Map<String, TorchTensorRecord> tensors,
                                Map<String, String> metadata) throws CheckpointFormatException {
        if (root instanceof TorchTensorRecord) {
            throw new CheckpointFormatException(f + ": the file holds a single tensor, not a dict of tensors; "
                    + "save {'name': tensor} instead");
        }
        if (!(root instanceof Map)) {
            throw new CheckpointFormatException(f + ": the file holds " + PickleTypes.name(root) + ", not a state "
                    + "dict (a dict of tensors)");
        }
        ArrayDeque<Object[]> queue = new ArrayDeque<>();
        IdentityHashMap<Object, Boolean> visited = new IdentityHashMap<>();
        queue.add(new Object[] {"", root, 0});
        while (!queue.isEmpty()) {
            Object[] item = queue.poll();
            String path = (String) item[0];
            Object value = item[1];
            int depth = (Integer) item[2];
            if (value instanceof TorchTensorRecord) {
                if (tensors.putIfAbsent(path, (TorchTensorRecord) value) != null) {
                    throw new CheckpointFormatException(f + ": two tensors are named '" + PickleTypes.printable(path)
                            + "'");
                }
                continue;
            }
            if (!(value instanceof Map || value instanceof List) || visited.put(value, Boolean.TRUE) != null) {
                continue;
            }
            if (depth >= RestrictedUnpickler.MAX_DEPTH) {
                throw new CheckpointFormatException(f + ": containers nest deeper than " + RestrictedUnpickler.MAX_DEPTH
                        + " levels at '" + PickleTypes.printable(path) + "'");
            }
            if (value instanceof PyOrderedDict && depth == 0) {
                versions(((PyOrderedDict) value).attributes.get("_metadata"), metadata);
            }
            if (value instanceof Map) {
                for (Map.Entry<?, ?> e : ((Map<?, ?>) value).entrySet()) {
                    queue.add(new Object[] {join(path, keyName(e.getKey())), e.getValue(), depth + 1});
                }
            } else {
                List<?> list = (List<?>) value;
                for (int i = 0; i < list.size(); i++) {
                    queue.add(new Object[] {join(path, Integer.toString(i)), list.get(i), depth + 1});
                }
            }
        }
    }

    private static String join(String path, String key) {
        return path.isEmpty() ? key : path + "." + key;
    }

    private static String keyName(Object key) {
        return key instanceof String ? (String) key : key instanceof Long || key instanceof Boolean
                || key instanceof java.math.BigInteger ? String.valueOf(key) : PickleTypes.name(key);
    }

    /** A state dict's {@code _metadata}: {module prefix: {'version': N}} as {@code _metadata.<prefix>.version}. */
    private static void versions(Object meta, Map<String, String> metadata) {
        if (!(meta instanceof Map)) {
            return;
        }
        for (Map.Entry<?, ?> module : ((Map<?, ?>) meta).entrySet()) {
            if (module.getKey() instanceof String && module.getValue() instanceof Map) {
                for (Map.Entry<?, ?> field : ((Map<?, ?>) module.getValue()).entrySet()) {
                    Object v = field.getValue();
                    if (field.getKey() instanceof String && (v instanceof Long || v instanceof String)) {
                        String prefix = (String) module.getKey();
                        metadata.put("_metadata" + (prefix.isEmpty() ? "" : "." + prefix) + "." + field.getKey(),
                                String.valueOf(v));
                    }
                }
            }
        }
    }

    // ---- reading, with each storage's CRC checked before its first use ----

    private void verify(Collection<TensorEntry> used) throws IOException {
        for (TensorEntry e : used) {
            TorchStorageRef s = records.get(e.name()).storage;
            if (!verified.contains(s.key)) {
                zip.checkCrc(s.record);
                verified.add(s.key);
            }
        }
    }

    @Override
    public Tensor read(String name, LoadOptions options) throws IOException {
        verify(List.of(entry(name)));
        return withGrad(super.read(name, options), records.get(name));
    }

    /** Tensors of one storage are views of one tensor again, as torch.load gives them; views stay views. */
    @Override
    public LinkedHashMap<String, Tensor> readAll(LoadOptions options) throws IOException {
        for (TensorEntry e : entries.values()) {
            checkReadable(e, options);
            device(e, options);
        }
        verify(entries.values());
        LinkedHashMap<String, TensorEntry> byKey = strippedEntries(options);
        // each storage once, with the device of the first tensor over it, as torch.load gives them
        Map<String, Integer> storageIndex = new HashMap<>();
        List<ParallelReads.Read> reads = new ArrayList<>();
        long bytes = 0;
        for (TensorEntry entry : byKey.values()) {
            TorchTensorRecord r = records.get(entry.name());
            if (!storageIndex.containsKey(r.storage.key)) {
                StoredTensor whole = StoredTensor.contiguous(file, r.storage.record.dataOffset, r.storage.type,
                        new long[] {r.storage.numel});
                Device device = device(entry, options);
                storageIndex.put(r.storage.key, reads.size());
                reads.add(() -> transfer.readNew(whole, entry.name(), device));
                bytes = addBytes(bytes, whole, device);
            }
        }
        Tensor[] storages = ParallelReads.run(reads, bytes);
        LinkedHashMap<String, Tensor> out = new LinkedHashMap<>();
        for (Map.Entry<String, TensorEntry> e : byKey.entrySet()) {
            TensorEntry entry = e.getValue();
            TorchTensorRecord r = records.get(entry.name());
            Tensor storage = storages[storageIndex.get(r.storage.key)];
            Tensor view = StridedViews.view(storage, r.offset, r.shape, r.strides);
            if (view == null) {
                // a layout no chain of views reaches (overlapping strides): a copy of the same values
                view = transfer.readNew(entry.stored(), entry.name(), device(entry, options));
            }
            out.put(e.getKey(), withGrad(view, r));
        }
        return out;
    }

    private static Tensor withGrad(Tensor t, TorchTensorRecord r) {
        return r.requiresGrad && t.isFloatingPoint() ? t.requiresGrad_(true) : t;
    }

    @Override
    public IncompatibleKeys loadInto(Module module, LoadOptions options) throws IOException {
        verify(entries.values());
        return super.loadInto(module, options);
    }
}
