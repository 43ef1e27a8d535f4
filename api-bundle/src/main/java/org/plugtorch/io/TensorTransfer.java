package org.plugtorch.io;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import org.plugtorch.DType;
import org.plugtorch.Device;
import org.plugtorch.Tensor;

/**
 * Copies a stored tensor out of the mapped file into Plugtorch tensors. A new cpu tensor stored as its own dtype is
 * one bulk copy from the mapped bytes ({@link Tensor#fromBuffer}); other tensors go in chunks: the mapped bytes are
 * decoded into a chunk-sized host tensor and copied into the target with {@code copy_}, which also moves them to the
 * target's device and converts them to its dtype. Host memory in flight is one chunk, whatever the tensor's size, so a
 * checkpoint larger than the heap loads onto a device.
 */
final class TensorTransfer {
    /** Elements per chunk: a few megabytes, large enough that per-chunk costs vanish. */
    static final int CHUNK = 1 << 20;

    private final int chunk;

    TensorTransfer() {
        this(CHUNK);
    }

    /** With another chunk size, so that tests cross chunk boundaries on small tensors. */
    TensorTransfer(int chunk) {
        this.chunk = chunk;
    }

    /**
     * A new tensor of the stored tensor's shape, as {@code dtype} (its host type, which Tensor.fromArray takes as
     * is), on {@code device}. On the CPU the values are decoded into one array that becomes the tensor; elsewhere
     * the tensor is allocated on the device and filled chunk by chunk.
     */
    Tensor readNew(StoredTensor source, String name, Device device) throws IOException {
        DType host = source.type.hostType();
        if (source.numel() == 0) {
            // nothing to read, wherever the view claims to start (PyTorch accepts any offset for an empty view)
            return Tensor.zeros(source.shape, host, device);
        }
        if (device.isCpu()) {
            ByteBuffer bytes = wholeRun(source, 0, source.numel());
            if (bytes != null) {
                return fromBytes(source, bytes, host, source.shape);
            }
            long n = source.numel();
            Object all = HostArrays.allocate(host, n, "tensor '" + name + "'");
            decodeAll(source, n, all);
            return HostArrays.tensor(all, source.shape);
        }
        Tensor out = Tensor.zeros(source.shape, host, device);
        copyInto(source, out);
        return out;
    }

    /**
     * Copies the first {@code target.numel()} elements of {@code source} into {@code target} in place (all of them
     * when the shapes agree; the first when a one-element vector loads into a scalar).
     */
    void copyInto(StoredTensor source, Tensor target) throws IOException {
        DType host = source.type.hostType();
        long n = target.numel();
        if (n == 0) {
            return;
        }
        if (!target.isContiguous()) {
            Object all = HostArrays.allocate(host, n, "the target of a non-contiguous load");
            decodeAll(source, n, all);
            target.copy_(HostArrays.tensor(all, target.shape()));
            return;
        }
        Tensor flat = target.view(-1);
        if (wholeRun(source, 0, Math.min(chunk, n)) != null) {
            // each chunk straight from the file's bytes into a host tensor, which copy_ converts and moves
            for (long first = 0; first < n; first += chunk) {
                int count = (int) Math.min(chunk, n - first);
                Tensor piece = fromBytes(source, wholeRun(source, first, count), host, new long[] {count});
                flat.narrow(0, first, count).copy_(piece);
            }
            return;
        }
        Object buffer = HostArrays.allocate(host, Math.min(chunk, n), "a load chunk");
        for (long first = 0; first < n; first += chunk) {
            int count = (int) Math.min(chunk, n - first);
            decode(source, first, count, buffer, 0);
            Tensor piece = HostArrays.tensor(HostArrays.prefix(buffer, count), new long[] {count});
            flat.narrow(0, first, count).copy_(piece);
        }
    }

    /**
     * Elements {@code [first, first + count)} of the stored tensor as the file's bytes, when they are one run that
     * Tensor.fromBuffer can take as they are (stored as exactly a Plugtorch dtype, contiguous, within one mapped
     * slice); null otherwise, for the decoding path (half precision, strided views, runs over 512 MiB).
     */
    private static ByteBuffer wholeRun(StoredTensor source, long first, long count) throws IOException {
        StoredDType type = source.type;
        if (type.exact == null
                || type.exact != type.hostType()
                || !source.isContiguous()
                || count * type.byteSize() > MappedFile.MAX_SLICE) {
            return null;
        }
        return source.file.slice(
                source.base + (source.offset + first) * type.byteSize(), (int) (count * type.byteSize()));
    }

    private static Tensor fromBytes(StoredTensor source, ByteBuffer bytes, DType host, long[] shape)
            throws IOException {
        try {
            return Tensor.fromBuffer(bytes, host, shape);
        } catch (InternalError e) {
            throw changed(source, e);
        }
    }

    private static CheckpointFormatException changed(StoredTensor source, InternalError e) {
        // the JVM's answer to a fault in mapped memory: the file shrank under the mapping
        return new CheckpointFormatException(
                source.file.name() + ": the file changed while it was being read (" + e.getMessage() + ")", e);
    }

    private void decodeAll(StoredTensor source, long n, Object all) throws IOException {
        for (long first = 0; first < n; first += chunk) {
            int count = (int) Math.min(chunk, n - first);
            decode(source, first, count, all, (int) first);
        }
    }

    private static void decode(StoredTensor source, long first, int count, Object dst, int at) throws IOException {
        try {
            source.decode(first, count, dst, at);
        } catch (InternalError e) {
            throw changed(source, e);
        }
    }

    /** {@link #copyInto} for callbacks that cannot throw checked exceptions (Module's streamed load). */
    void copyIntoUnchecked(StoredTensor source, Tensor target) {
        try {
            copyInto(source, target);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
