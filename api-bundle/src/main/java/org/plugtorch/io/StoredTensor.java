package org.plugtorch.io;

import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * Where a tensor's elements lie in a mapped checkpoint: a storage (a run of elements of one stored dtype at a byte
 * position) and a view of it (element offset, shape, strides), all validated against the file when it was opened.
 * It reads elements of the view, in row-major order, straight from the mapping into Java arrays.
 */
final class StoredTensor {
    final MappedFile file;
    /** Byte position of storage element 0 in the file. */
    final long base;

    final StoredDType type;
    final long storageSize;
    final long offset;
    final long[] shape;
    final long[] strides;

    StoredTensor(
            MappedFile file, long base, StoredDType type, long storageSize, long offset, long[] shape, long[] strides) {
        this.file = file;
        this.base = base;
        this.type = type;
        this.storageSize = storageSize;
        this.offset = offset;
        this.shape = shape;
        this.strides = strides;
    }

    /** A contiguous tensor: a safetensors entry, or a storage read whole. */
    static StoredTensor contiguous(MappedFile file, long base, StoredDType type, long[] shape) {
        long n = Sizes.numel(shape);
        return new StoredTensor(file, base, type, n, 0, shape, Sizes.contiguousStrides(shape));
    }

    long numel() {
        return Sizes.numel(shape);
    }

    /**
     * This tensor without its broadcast: every dimension of stride 0 taken at size 1. Its values expanded to
     * {@link #shape} are this tensor's; it is this tensor itself when nothing is broadcast.
     */
    StoredTensor compact() {
        long[] compact = null;
        for (int d = 0; d < shape.length; d++) {
            if (strides[d] == 0 && shape[d] > 1) {
                if (compact == null) {
                    compact = shape.clone();
                }
                compact[d] = 1;
            }
        }
        return compact == null ? this : new StoredTensor(file, base, type, storageSize, offset, compact, strides);
    }

    boolean isContiguous() {
        long expected = 1;
        for (int d = shape.length - 1; d >= 0; d--) {
            if (shape[d] != 1) {
                if (strides[d] != expected) {
                    return false;
                }
                expected *= shape[d];
            }
        }
        return true;
    }

    /**
     * Decodes elements {@code [first, first + count)} of the view, in row-major order, into {@code dst} from
     * {@code dstOffset}; dst is an array of {@link StoredDType#hostType()}. {@code count} times the element size is
     * at most {@link MappedFile#MAX_SLICE} bytes.
     */
    void decode(long first, int count, Object dst, int dstOffset) throws IOException {
        if (count == 0) {
            return;
        }
        if (isContiguous()) {
            int size = type.byteSize();
            ByteBuffer bytes = file.slice(base + (offset + first) * size, count * size);
            decodeRun(bytes, count, dst, dstOffset);
        } else {
            gather(first, count, dst, dstOffset);
        }
    }

    private void decodeRun(ByteBuffer b, int n, Object dst, int at) {
        switch (type) {
            case F32:
                b.asFloatBuffer().get((float[]) dst, at, n);
                break;
            case F64:
                b.asDoubleBuffer().get((double[]) dst, at, n);
                break;
            case I64:
                b.asLongBuffer().get((long[]) dst, at, n);
                break;
            case I32:
                b.asIntBuffer().get((int[]) dst, at, n);
                break;
            case F16: {
                float[] f = (float[]) dst;
                for (int i = 0; i < n; i++) {
                    f[at + i] = HalfFloats.float16(b.getShort(2 * i));
                }
                break;
            }
            case BF16: {
                float[] f = (float[]) dst;
                for (int i = 0; i < n; i++) {
                    f[at + i] = HalfFloats.bfloat16(b.getShort(2 * i));
                }
                break;
            }
            case BOOL: {
                boolean[] z = (boolean[]) dst;
                for (int i = 0; i < n; i++) {
                    z[at + i] = b.get(i) != 0;
                }
                break;
            }
            default:
                throw new AssertionError(type);
        }
    }

    /** Element by element through the strides, for views that are not one run of their storage. */
    private void gather(long first, int count, Object dst, int at) throws IOException {
        int rank = shape.length;
        long[] index = new long[rank];
        long rest = first;
        for (int d = rank - 1; d >= 0; d--) {
            index[d] = rest % shape[d];
            rest /= shape[d];
        }
        long element = offset;
        for (int d = 0; d < rank; d++) {
            element += index[d] * strides[d];
        }
        Window window = new Window();
        for (int i = 0; i < count; i++) {
            decodeOne(window, element, dst, at + i);
            for (int d = rank - 1; d >= 0; d--) {
                if (++index[d] < shape[d]) {
                    element += strides[d];
                    break;
                }
                element -= (shape[d] - 1) * strides[d];
                index[d] = 0;
            }
        }
    }

    /** The slice of the storage that the last element read came from, so that neighbours need no new slice. */
    private final class Window {
        ByteBuffer bytes;
        long start;

        int at(long element) throws IOException {
            long position = base + element * type.byteSize();
            if (bytes == null || position < start || position + type.byteSize() > start + bytes.capacity()) {
                long end = base + storageSize * type.byteSize();
                start = position;
                bytes = file.slice(position, (int) Math.min(MappedFile.MAX_SLICE, end - position));
            }
            return (int) (position - start);
        }
    }

    private void decodeOne(Window w, long element, Object dst, int i) throws IOException {
        int p = w.at(element);
        ByteBuffer b = w.bytes;
        switch (type) {
            case F32:
                ((float[]) dst)[i] = b.getFloat(p);
                break;
            case F64:
                ((double[]) dst)[i] = b.getDouble(p);
                break;
            case I64:
                ((long[]) dst)[i] = b.getLong(p);
                break;
            case I32:
                ((int[]) dst)[i] = b.getInt(p);
                break;
            case F16:
                ((float[]) dst)[i] = HalfFloats.float16(b.getShort(p));
                break;
            case BF16:
                ((float[]) dst)[i] = HalfFloats.bfloat16(b.getShort(p));
                break;
            case BOOL:
                ((boolean[]) dst)[i] = b.get(p) != 0;
                break;
            default:
                throw new AssertionError(type);
        }
    }
}
