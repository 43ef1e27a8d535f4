package org.plugtorch.io;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
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
    private final long pickleBytes;
    private final Set<TorchStorageRef> verified =
            Collections.synchronizedSet(Collections.newSetFromMap(new IdentityHashMap<>()));

    private TorchZipFile(
            MappedFile file,
            ZipDirectory zip,
            LinkedHashMap<String, TensorEntry> entries,
            Map<String, TorchTensorRecord> records,
            Map<String, String> metadata,
            long dataElements,
            long pickleBytes) {
        super(file, entries, metadata, dataElements);
        this.zip = zip;
        this.records = records;
        this.pickleBytes = pickleBytes;
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
            root = RestrictedUnpickler.load(
                    file.slice(pickle.dataOffset, (int) pickle.size), storages::load, new Rebuilder()::rebuild);
        } catch (RestrictedUnpickler.UnpicklingException e) {
            throw new CheckpointFormatException(
                    f + ": " + prefix + "data.pkl byte " + e.position + ": " + e.getMessage());
        }
        LinkedHashMap<String, TorchTensorRecord> tensors = new LinkedHashMap<>();
        new Collector(f, prefix + "data.pkl", pickle.size).collect(root, tensors, metadata);
        LinkedHashMap<String, TensorEntry> entries = new LinkedHashMap<>();
        // one StoredTensor per record, however many names reach it
        Map<TorchTensorRecord, StoredTensor> stored = new IdentityHashMap<>();
        Map<StoredDType, String> dtypeNames = new java.util.EnumMap<>(StoredDType.class);
        for (Map.Entry<String, TorchTensorRecord> e : tensors.entrySet()) {
            TorchTensorRecord t = e.getValue();
            StoredTensor s = stored.computeIfAbsent(
                    t,
                    r -> new StoredTensor(
                            file,
                            r.storage.record.dataOffset,
                            r.storage.type,
                            r.storage.numel,
                            r.offset,
                            r.shape,
                            r.strides));
            String dtypeName = dtypeNames.computeIfAbsent(t.storage.type, type -> "torch." + type.torchName);
            entries.put(e.getKey(), new TensorEntry(e.getKey(), dtypeName, s, t.storage.location));
        }
        return new TorchZipFile(file, zip, entries, tensors, metadata, storageElements(tensors.values()), pickle.size);
    }

    /** The elements of every storage the tensors use, each storage once: what the file holds for them. */
    private static long storageElements(Collection<TorchTensorRecord> records) {
        Map<TorchStorageRef, Boolean> seen = new IdentityHashMap<>();
        long sum = 0;
        for (TorchTensorRecord r : records) {
            if (seen.put(r.storage, Boolean.TRUE) == null) {
                sum += r.storage.numel;
            }
        }
        return sum;
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
            throw new CheckpointFormatException(
                    file.name() + ": record '" + PickleTypes.printable(r.name) + "' is not text");
        }
        return new String(b, StandardCharsets.UTF_8).strip();
    }

    /** Resolves persistent ids to storage records, checking each against the archive. */
    private static final class StorageResolver {
        private final String file;
        private final ZipDirectory zip;
        private final String prefix;
        /** By key, which the unpickler makes canonical: equal keys are one String object. */
        private final Map<String, TorchStorageRef> seen = new IdentityHashMap<>();

        StorageResolver(String file, ZipDirectory zip, String prefix) {
            this.file = file;
            this.zip = zip;
            this.prefix = prefix;
        }

        Object load(Object pid, long position) throws RestrictedUnpickler.UnpicklingException {
            if (!(pid instanceof PyTuple) || ((PyTuple) pid).size() != 5 || !"storage".equals(((PyTuple) pid).get(0))) {
                throw new RestrictedUnpickler.UnpicklingException(
                        "a persistent id must be ('storage', storage type, " + "key, location, size), found "
                                + PickleTypes.name(pid),
                        position);
            }
            PyTuple t = (PyTuple) pid;
            if (!(t.get(1) instanceof TorchGlobal) || ((TorchGlobal) t.get(1)).kind != TorchGlobal.Kind.STORAGE_CLASS) {
                throw new RestrictedUnpickler.UnpicklingException(
                        "a storage's type is " + PickleTypes.name(t.get(1)) + ", not a torch storage class", position);
            }
            if (!(t.get(2) instanceof String)
                    || !(t.get(3) instanceof String)
                    || !(t.get(4) instanceof Long)
                    || (Long) t.get(4) < 0) {
                throw new RestrictedUnpickler.UnpicklingException(
                        "a storage reference needs a string key, a string "
                                + "location and a non-negative size, found " + PickleTypes.name(t.get(2)) + ", "
                                + PickleTypes.name(t.get(3)) + ", " + PickleTypes.name(t.get(4)),
                        position);
            }
            StoredDType type = ((TorchGlobal) t.get(1)).storageType;
            String key = (String) t.get(2);
            String location = (String) t.get(3);
            long numel = (Long) t.get(4);
            // a pickle can refer to one storage again for three bytes: the common case costs no work on the strings
            TorchStorageRef earlier = seen.get(key);
            if (earlier != null) {
                if (earlier.type != type || earlier.numel != numel || !earlier.location.equals(location)) {
                    throw new RestrictedUnpickler.UnpicklingException(
                            name(key) + " is referenced as "
                                    + type.storageClass + " of " + numel + " elements at "
                                    + PickleTypes.printable(location)
                                    + " after " + earlier.type.storageClass + " of " + earlier.numel + " elements at "
                                    + earlier.location,
                            position);
                }
                return earlier;
            }
            if (location.length() > MAX_LOCATION || !isDevice(location)) {
                throw new RestrictedUnpickler.UnpicklingException(
                        name(key) + " has location '" + PickleTypes.printable(location) + "', which is not a device",
                        position);
            }
            ZipDirectory.Record record = zip.records().get(prefix + "data/" + key);
            if (record == null) {
                throw new RestrictedUnpickler.UnpicklingException(
                        name(key) + " has no record '" + PickleTypes.printable(prefix) + "data/"
                                + PickleTypes.printable(key) + "' in the archive",
                        position);
            }
            long bytes = numel > Long.MAX_VALUE / type.byteSize() ? -1 : numel * type.byteSize();
            if (bytes != record.size) {
                throw new RestrictedUnpickler.UnpicklingException(
                        name(key) + " declares " + numel + " elements of "
                                + type.torchName
                                + (bytes < 0 ? ", more bytes than a file can hold," : " (" + bytes + " bytes)")
                                + " but its record holds " + record.size + " bytes",
                        position);
            }
            TorchStorageRef ref = new TorchStorageRef(key, type, location, numel, record);
            seen.put(key, ref);
            return ref;
        }

        private static boolean isDevice(String location) {
            try {
                Device.parse(location);
                return true;
            } catch (IllegalArgumentException e) {
                return false;
            }
        }

        private static String name(String key) {
            return "storage '" + PickleTypes.printable(key) + "'";
        }
    }

    /** The longest storage location accepted: device names are short ({@code cuda:0}). */
    private static final int MAX_LOCATION = 64;

    /**
     * {@code _rebuild_tensor_v2(storage, offset, size, stride, requires_grad, hooks[, metadata])} and
     * {@code _rebuild_parameter}. A pickle can call it again with the same arguments for five bytes: the size and
     * stride tuples (canonical, so equal ones are one object) are converted once, and records share the arrays.
     */
    private static final class Rebuilder {
        private final Map<PyTuple, long[]> converted = new IdentityHashMap<>();

        Object rebuild(TorchGlobal function, PyTuple args, long position)
                throws RestrictedUnpickler.UnpicklingException {
            if (function.kind == TorchGlobal.Kind.REBUILD_PARAMETER) {
                if (args.size() != 3
                        || !(args.get(0) instanceof TorchTensorRecord)
                        || !(args.get(1) instanceof Boolean)
                        || !isEmptyDict(args.get(2))) {
                    throw new RestrictedUnpickler.UnpicklingException(
                            function + " takes (tensor, requires_grad, " + "empty hooks)", position);
                }
                TorchTensorRecord data = (TorchTensorRecord) args.get(0);
                return new TorchTensorRecord(
                        data.storage, data.offset, data.shape, data.strides, (Boolean) args.get(1));
            }
            if ((args.size() != 6 && args.size() != 7)
                    || !(args.get(0) instanceof TorchStorageRef)
                    || !(args.get(1) instanceof Long)
                    || !(args.get(4) instanceof Boolean)) {
                throw new RestrictedUnpickler.UnpicklingException(
                        function + " takes (storage, offset, size, stride, "
                                + "requires_grad, hooks[, metadata]), found " + args.size() + " arguments",
                        position);
            }
            if (!isEmptyDict(args.get(5))) {
                throw new RestrictedUnpickler.UnpicklingException(
                        function + ": backward hooks are code and cannot " + "be loaded; they must be empty", position);
            }
            if (args.size() == 7 && !(args.get(6) == null || isEmptyDict(args.get(6)))) {
                throw new RestrictedUnpickler.UnpicklingException(
                        function + ": tensor metadata (Python attributes) " + "is not supported", position);
            }
            TorchStorageRef storage = (TorchStorageRef) args.get(0);
            long offset = (Long) args.get(1);
            Object size = args.get(2);
            Object stride = args.get(3);
            if (size instanceof PyTuple && ((PyTuple) size).size() > MAX_DIMS) {
                throw new RestrictedUnpickler.UnpicklingException(
                        "a tensor of " + ((PyTuple) size).size() + " dimensions; PyTorch allows at most " + MAX_DIMS,
                        position);
            }
            long[] shape = longs(size);
            long[] strides = longs(stride);
            if (shape == null || strides == null || shape.length != strides.length || offset < 0) {
                throw new RestrictedUnpickler.UnpicklingException(
                        function + ": offset, size and stride must be a "
                                + "non-negative integer and two tuples of as many non-negative integers",
                        position);
            }
            long numel = Sizes.checkedNumel(shape);
            if (numel < 0) {
                throw new RestrictedUnpickler.UnpicklingException(
                        "a tensor of size " + Sizes.list(shape) + " has more elements than a long counts", position);
            }
            if (Sizes.bytes(numel, storage.type.bits) < 0) {
                throw new RestrictedUnpickler.UnpicklingException(
                        "a tensor of size " + Sizes.list(shape) + " holds " + numel + " elements of "
                                + storage.type.torchName + ", more bytes than a long counts",
                        position);
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
                    throw new RestrictedUnpickler.UnpicklingException(
                            "a tensor of size " + Sizes.list(shape)
                                    + ", stride " + Sizes.list(strides) + " at offset " + offset + " reaches element "
                                    + last
                                    + " of storage '" + PickleTypes.printable(storage.key) + "', which holds "
                                    + storage.numel,
                            position);
                }
            }
            return new TorchTensorRecord(storage, offset, shape, strides, (Boolean) args.get(4));
        }

        /** A tuple of non-negative longs as an array (shared: never changed), or null. */
        private long[] longs(Object o) {
            if (!(o instanceof PyTuple)) {
                return null;
            }
            PyTuple t = (PyTuple) o;
            long[] out = converted.get(t);
            if (out != null) {
                return out;
            }
            out = new long[t.size()];
            for (int i = 0; i < out.length; i++) {
                if (!(t.get(i) instanceof Long) || (Long) t.get(i) < 0) {
                    return null;
                }
                out[i] = (Long) t.get(i);
            }
            converted.put(t, out);
            return out;
        }
    }

    /** PyTorch's limit on a tensor's dimensions. */
    private static final int MAX_DIMS = 64;

    private static boolean isEmptyDict(Object o) {
        return o instanceof PyDict && ((PyDict) o).isEmpty();
    }

    /**
     * Finds every tensor under the root, breadth-first, named by its key path, and the {@code _metadata} of the root
     * OrderedDict; without recursion, each container visited once. A path is a link to its parent and spelled out
     * only for a tensor (or an error), so that a long key repeated at every level costs nothing until then; what the
     * names and metadata take in all is limited to {@link #CHARS_PER_BYTE} characters for each byte of the pickle.
     */
    private static final class Collector {
        /** Names and metadata may take this many characters per byte of the pickle (real files: well under 1). */
        static final long CHARS_PER_BYTE = 16;
        /** What an entry costs besides its name's characters: the objects that hold it. */
        static final long ENTRY_COST = 64;
        /** The longest tensor name: a key path is a few hundred characters at most in any real file. */
        static final long MAX_NAME = 1 << 20;

        private final String file;
        private final String record;
        private final long pickleBytes;
        private long budget;
        private final Map<Object, String> keyNames = new IdentityHashMap<>();

        Collector(String file, String record, long pickleBytes) {
            this.file = file;
            this.record = record;
            this.pickleBytes = pickleBytes;
            this.budget = CHARS_PER_BYTE * pickleBytes + (1 << 16);
        }

        void collect(Object root, Map<String, TorchTensorRecord> tensors, Map<String, String> metadata)
                throws CheckpointFormatException {
            if (root instanceof TorchTensorRecord) {
                throw new CheckpointFormatException(file + ": the file holds a single tensor, not a dict of tensors; "
                        + "save {'name': tensor} instead");
            }
            if (!(root instanceof PyDict)) {
                throw new CheckpointFormatException(file + ": the file holds " + PickleTypes.name(root) + ", not a "
                        + "state dict (a dict of tensors)");
            }
            if (root instanceof PyOrderedDict) {
                versions(((PyOrderedDict) root).attribute("_metadata"), metadata);
            }
            ArrayDeque<KeyPath> paths = new ArrayDeque<>();
            ArrayDeque<Object> containers = new ArrayDeque<>();
            IdentityHashMap<Object, Boolean> visited = new IdentityHashMap<>();
            visited.put(root, Boolean.TRUE);
            paths.add(KeyPath.ROOT);
            containers.add(root);
            while (!containers.isEmpty()) {
                KeyPath path = paths.poll();
                Object container = containers.poll();
                if (path.depth >= RestrictedUnpickler.MAX_DEPTH) {
                    throw new CheckpointFormatException(file + ": containers nest deeper than "
                            + RestrictedUnpickler.MAX_DEPTH + " levels at '" + path.preview() + "'");
                }
                if (container instanceof PyDict) {
                    PyDict dict = (PyDict) container;
                    for (int i = 0; i < dict.size(); i++) {
                        visit(path, dict.key(i), dict.value(i), tensors, visited, paths, containers);
                    }
                } else if (container instanceof PyList) {
                    PyList list = (PyList) container;
                    for (int i = 0; i < list.size(); i++) {
                        visit(path, i, list.get(i), tensors, visited, paths, containers);
                    }
                } else {
                    PyTuple tuple = (PyTuple) container;
                    for (int i = 0; i < tuple.size(); i++) {
                        visit(path, i, tuple.get(i), tensors, visited, paths, containers);
                    }
                }
            }
        }

        /** A tensor is named now (in the order a breadth-first walk meets it); a container not seen yet is queued. */
        private void visit(
                KeyPath parent,
                Object key,
                Object value,
                Map<String, TorchTensorRecord> tensors,
                IdentityHashMap<Object, Boolean> visited,
                ArrayDeque<KeyPath> paths,
                ArrayDeque<Object> containers)
                throws CheckpointFormatException {
            if (value instanceof TorchTensorRecord) {
                KeyPath path = new KeyPath(parent, keyName(key));
                if (path.length > MAX_NAME) {
                    throw new CheckpointFormatException(file + ": a tensor's name would be " + path.length
                            + " characters long, more than " + MAX_NAME + ": '" + path.preview() + "...'");
                }
                charge(path.length + ENTRY_COST);
                String name = path.spelled();
                if (tensors.putIfAbsent(name, (TorchTensorRecord) value) != null) {
                    throw new CheckpointFormatException(
                            file + ": two tensors are named '" + PickleTypes.printable(name) + "'");
                }
            } else if ((value instanceof PyDict || value instanceof PyList || value instanceof PyTuple)
                    && visited.put(value, Boolean.TRUE) == null) {
                paths.add(new KeyPath(parent, keyName(key)));
                containers.add(value);
            }
        }

        private void charge(long chars) throws CheckpointFormatException {
            budget -= chars;
            if (budget < 0) {
                throw new CheckpointFormatException(file + ": the tensor names and metadata in " + record + " would "
                        + "take more than " + (CHARS_PER_BYTE * pickleBytes + (1 << 16)) + " characters ("
                        + CHARS_PER_BYTE + " for each of its " + pickleBytes + " bytes): its containers repeat keys "
                        + "through shared references");
            }
        }

        private String keyName(Object key) {
            if (key instanceof String) {
                return (String) key;
            }
            if (key instanceof Integer) {
                return key.toString();
            }
            return keyNames.computeIfAbsent(
                    key,
                    k -> k instanceof Long || k instanceof Boolean || k instanceof java.math.BigInteger
                            ? String.valueOf(k)
                            : PickleTypes.name(k));
        }

        /**
         * A state dict's {@code _metadata}: {module prefix: {'version': N}} as {@code _metadata.<prefix>.version}.
         * Every field looked at is charged, so that one large dict shared by many prefixes costs the budget.
         */
        private void versions(Object meta, Map<String, String> metadata) throws CheckpointFormatException {
            if (!(meta instanceof PyDict)) {
                return;
            }
            PyDict modules = (PyDict) meta;
            for (int m = 0; m < modules.size(); m++) {
                if (modules.key(m) instanceof String && modules.value(m) instanceof PyDict) {
                    String prefix = (String) modules.key(m);
                    PyDict fields = (PyDict) modules.value(m);
                    for (int i = 0; i < fields.size(); i++) {
                        charge(ENTRY_COST);
                        Object key = fields.key(i);
                        Object v = fields.value(i);
                        if (key instanceof String && (v instanceof Long || v instanceof String)) {
                            String name = "_metadata" + (prefix.isEmpty() ? "" : "." + prefix) + "." + key;
                            String value = String.valueOf(v);
                            charge(name.length() + value.length());
                            metadata.put(name, value);
                        }
                    }
                }
            }
        }
    }

    /**
     * A key path in the unpickled object, as a link to its parent: {@code fc.weight} for a state dict, {@code
     * model.fc.weight} in a training checkpoint. Keys are joined by dots; an empty path takes the key alone.
     */
    private static final class KeyPath {
        static final KeyPath ROOT = new KeyPath(null, "");

        final KeyPath parent;
        final String key;
        final int depth;
        /** The length of the spelled path. */
        final long length;

        KeyPath(KeyPath parent, String key) {
            this.parent = parent;
            this.key = key;
            this.depth = parent == null ? 0 : parent.depth + 1;
            this.length = parent == null || parent.length == 0 ? key.length() : parent.length + 1 + key.length();
        }

        String spelled() {
            return prefix(Integer.MAX_VALUE);
        }

        /** The start of the path, made printable, for errors. */
        String preview() {
            String p = prefix(250);
            return PickleTypes.printable(p);
        }

        /** The first {@code limit} characters or so of the path. */
        private String prefix(int limit) {
            KeyPath[] chain = new KeyPath[depth];
            for (KeyPath p = this; p.parent != null; p = p.parent) {
                chain[p.depth - 1] = p;
            }
            StringBuilder sb = new StringBuilder((int) Math.min(length, limit));
            for (KeyPath p : chain) {
                if (sb.length() >= limit) {
                    break;
                }
                if (sb.length() > 0) {
                    sb.append('.');
                }
                sb.append(p.key, 0, Math.min(p.key.length(), limit - sb.length()));
            }
            return sb.toString();
        }
    }

    // ---- reading, with each storage's CRC checked before its first use ----

    private void verify(Collection<TensorEntry> used) throws IOException {
        for (TensorEntry e : used) {
            TorchStorageRef s = records.get(e.name()).storage;
            if (!verified.contains(s)) {
                zip.checkCrc(s.record);
                verified.add(s);
            }
        }
    }

    @Override
    public Tensor read(String name, LoadOptions options) throws IOException {
        verify(List.of(entry(name)));
        return withGrad(super.read(name, options), records.get(name));
    }

    /**
     * Tensors of one storage are views of one tensor again, as torch.load gives them; views stay views, and a tensor
     * the pickle names twice (one record) is one Tensor under both names, as in Python. Rebuilding the views shares
     * one budget of work for the whole file ({@link StridedViews.Budget}), and copies (layouts no view reaches) one
     * allowance of elements ({@link #copy}).
     */
    @Override
    public LinkedHashMap<String, Tensor> readAll(LoadOptions options) throws IOException {
        for (TensorEntry e : entries.values()) {
            checkReadable(e, options);
            device(e, options);
        }
        verify(entries.values());
        LinkedHashMap<String, TensorEntry> byKey = strippedEntries(options);
        // each storage once, with the device of the first tensor over it, as torch.load gives them
        Map<TorchStorageRef, Integer> storageIndex = new IdentityHashMap<>();
        List<ParallelReads.Read> reads = new ArrayList<>();
        long bytes = 0;
        for (TensorEntry entry : byKey.values()) {
            TorchTensorRecord r = records.get(entry.name());
            if (!storageIndex.containsKey(r.storage)) {
                StoredTensor whole = StoredTensor.contiguous(
                        file, r.storage.record.dataOffset, r.storage.type, new long[] {r.storage.numel});
                Device device = device(entry, options);
                storageIndex.put(r.storage, reads.size());
                reads.add(() -> transfer.readNew(whole, entry.name(), device));
                bytes = addBytes(bytes, whole, device);
            }
        }
        Tensor[] storages = ParallelReads.run(reads, bytes);
        StridedViews.Budget work = new StridedViews.Budget(StridedViews.BASE_BUDGET + 16 * pickleBytes);
        long[] allowance = {copyAllowance()};
        Map<TorchTensorRecord, Tensor> made = new IdentityHashMap<>();
        LinkedHashMap<String, Tensor> out = new LinkedHashMap<>();
        for (Map.Entry<String, TensorEntry> e : byKey.entrySet()) {
            TensorEntry entry = e.getValue();
            TorchTensorRecord r = records.get(entry.name());
            Tensor view = made.get(r);
            if (view == null) {
                Tensor storage = storages[storageIndex.get(r.storage)];
                if (entry.numel() == 0) {
                    view = Tensor.zeros(r.shape, storage.dtype(), storage.device());
                } else {
                    view = StridedViews.view(storage, r.offset, r.shape, r.strides, work);
                    if (view == null) {
                        // a layout no chain of views reaches (overlapping strides): a copy of the same values
                        view = copy(entry, storage.device(), allowance);
                    }
                }
                view = withGrad(view, r);
                made.put(r, view);
            }
            out.put(e.getKey(), view);
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
