package org.plugtorch.spi;

import java.nio.Buffer;
import java.nio.ByteBuffer;
import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;
import java.nio.IntBuffer;
import java.nio.LongBuffer;
import org.plugtorch.DType;
import org.plugtorch.Device;

/**
 * Host memory: the storage of every {@code cpu} tensor, one primitive Java array per allocation
 * ({@code float[]}, {@code double[]}, {@code long[]}, {@code int[]}, and {@code byte[]} holding 0/1 for bool).
 *
 * <p>It lives in the API, not in the CPU backend, because it is what all backends share: the staging format of
 * every host transfer and the place a departing backend evacuates its tensors to. A {@code cpu} tensor therefore
 * survives the CPU backend bundle being updated or removed; only its kernels come from the backend.
 */
public final class HostBuffer implements DeviceBuffer {
    /** Java arrays are indexed by int; larger host tensors would need another storage. */
    public static final long MAX_SIZE = Integer.MAX_VALUE - 8;

    private final DType dtype;
    private final Object array;
    private final int size;

    private HostBuffer(DType dtype, Object array, int size) {
        this.dtype = dtype;
        this.array = array;
        this.size = size;
    }

    /** A zero-filled buffer of {@code size} elements. */
    public static HostBuffer allocate(DType dtype, long size) {
        if (size < 0 || size > MAX_SIZE) {
            throw new IllegalArgumentException("cannot allocate " + size + " elements of " + dtype
                    + " in host memory: a host buffer holds at most " + MAX_SIZE + " elements");
        }
        int n = (int) size;
        switch (dtype) {
            case FLOAT32:
                return new HostBuffer(dtype, new float[n], n);
            case FLOAT64:
                return new HostBuffer(dtype, new double[n], n);
            case INT64:
                return new HostBuffer(dtype, new long[n], n);
            case INT32:
                return new HostBuffer(dtype, new int[n], n);
            case BOOL:
                return new HostBuffer(dtype, new byte[n], n);
            default:
                throw new AssertionError(dtype);
        }
    }

    /** Wraps (does not copy) an array. */
    public static HostBuffer wrap(float[] a) {
        return new HostBuffer(DType.FLOAT32, a, a.length);
    }

    public static HostBuffer wrap(double[] a) {
        return new HostBuffer(DType.FLOAT64, a, a.length);
    }

    public static HostBuffer wrap(long[] a) {
        return new HostBuffer(DType.INT64, a, a.length);
    }

    public static HostBuffer wrap(int[] a) {
        return new HostBuffer(DType.INT32, a, a.length);
    }

    /** A bool buffer: every byte must be 0 or 1. */
    public static HostBuffer wrapBool(byte[] a) {
        return new HostBuffer(DType.BOOL, a, a.length);
    }

    @Override
    public Device device() {
        return Device.CPU;
    }

    @Override
    public DType dtype() {
        return dtype;
    }

    @Override
    public long size() {
        return size;
    }

    /** The backing array ({@code float[]}, {@code double[]}, {@code long[]}, {@code int[]} or {@code byte[]}). */
    public Object array() {
        return array;
    }

    public float[] floats() {
        return (float[]) expect(DType.FLOAT32);
    }

    public double[] doubles() {
        return (double[]) expect(DType.FLOAT64);
    }

    public long[] longs() {
        return (long[]) expect(DType.INT64);
    }

    public int[] ints() {
        return (int[]) expect(DType.INT32);
    }

    /** Bool elements, one byte each, 0 or 1. */
    public byte[] bools() {
        return (byte[]) expect(DType.BOOL);
    }

    private Object expect(DType d) {
        if (dtype != d) {
            throw new IllegalStateException("host buffer holds " + dtype + ", not " + d);
        }
        return array;
    }

    /**
     * A typed NIO view of {@code length} elements from {@code offset}, sharing this buffer's array: the form in
     * which {@link Backend#copyIn} and {@link Backend#copyOut} take host data.
     */
    public Buffer nio(long offset, long length) {
        if (offset < 0 || length < 0 || offset + length > size) {
            throw new IndexOutOfBoundsException(
                    "range [" + offset + ", " + (offset + length) + ") outside host buffer of " + size + " elements");
        }
        int o = (int) offset;
        int n = (int) length;
        switch (dtype) {
            case FLOAT32:
                return FloatBuffer.wrap((float[]) array, o, n).slice();
            case FLOAT64:
                return DoubleBuffer.wrap((double[]) array, o, n).slice();
            case INT64:
                return LongBuffer.wrap((long[]) array, o, n).slice();
            case INT32:
                return IntBuffer.wrap((int[]) array, o, n).slice();
            case BOOL:
                return ByteBuffer.wrap((byte[]) array, o, n).slice();
            default:
                throw new AssertionError(dtype);
        }
    }

    /** The NIO buffer class that carries elements of {@code dtype}: FloatBuffer for float32, ByteBuffer for bool. */
    public static Class<? extends Buffer> nioType(DType dtype) {
        switch (dtype) {
            case FLOAT32:
                return FloatBuffer.class;
            case FLOAT64:
                return DoubleBuffer.class;
            case INT64:
                return LongBuffer.class;
            case INT32:
                return IntBuffer.class;
            case BOOL:
                return ByteBuffer.class;
            default:
                throw new AssertionError(dtype);
        }
    }

    /** Copies {@code src.remaining()} elements into this buffer at {@code offset}; {@code src}'s position is unchanged. */
    public void put(long offset, Buffer src) {
        checkNio(src, offset);
        int o = (int) offset;
        switch (dtype) {
            case FLOAT32:
                ((FloatBuffer) src).duplicate().get((float[]) array, o, src.remaining());
                break;
            case FLOAT64:
                ((DoubleBuffer) src).duplicate().get((double[]) array, o, src.remaining());
                break;
            case INT64:
                ((LongBuffer) src).duplicate().get((long[]) array, o, src.remaining());
                break;
            case INT32:
                ((IntBuffer) src).duplicate().get((int[]) array, o, src.remaining());
                break;
            case BOOL:
                ((ByteBuffer) src).duplicate().get((byte[]) array, o, src.remaining());
                break;
            default:
                throw new AssertionError(dtype);
        }
    }

    /** Copies {@code dst.remaining()} elements from this buffer at {@code offset} into {@code dst}; its position is unchanged. */
    public void get(long offset, Buffer dst) {
        checkNio(dst, offset);
        int o = (int) offset;
        switch (dtype) {
            case FLOAT32:
                ((FloatBuffer) dst).duplicate().put((float[]) array, o, dst.remaining());
                break;
            case FLOAT64:
                ((DoubleBuffer) dst).duplicate().put((double[]) array, o, dst.remaining());
                break;
            case INT64:
                ((LongBuffer) dst).duplicate().put((long[]) array, o, dst.remaining());
                break;
            case INT32:
                ((IntBuffer) dst).duplicate().put((int[]) array, o, dst.remaining());
                break;
            case BOOL:
                ((ByteBuffer) dst).duplicate().put((byte[]) array, o, dst.remaining());
                break;
            default:
                throw new AssertionError(dtype);
        }
    }

    private void checkNio(Buffer b, long offset) {
        if (!nioType(dtype).isInstance(b)) {
            throw new IllegalArgumentException(b.getClass().getSimpleName() + " cannot carry " + dtype
                    + " elements; expected a " + nioType(dtype).getSimpleName());
        }
        if (offset < 0 || offset + b.remaining() > size) {
            throw new IndexOutOfBoundsException("range [" + offset + ", " + (offset + b.remaining())
                    + ") outside host buffer of " + size + " elements");
        }
    }

    @Override
    public String toString() {
        return "HostBuffer(" + dtype.torchName() + "[" + size + "])";
    }
}
