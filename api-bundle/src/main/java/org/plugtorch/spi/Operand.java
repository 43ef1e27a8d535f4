package org.plugtorch.spi;

import static org.plugtorch.spi.Preconditions.checkArgument;

import java.util.Arrays;
import org.plugtorch.DType;

/**
 * What a kernel reads or writes: a strided view of one {@link DeviceBuffer}. Element {@code (i0, i1, ...)} lives at
 * {@code offset + i0*strides[0] + i1*strides[1] + ...} (in elements, not bytes).
 *
 * <p>Inputs may have stride 0 (a broadcast) or any other stride (a transpose, a slice); outputs never overlap
 * themselves. The shape and stride arrays are shared, not copied: nobody mutates them after construction.
 */
public final class Operand {
    private final DeviceBuffer buffer;
    private final long offset;
    private final long[] shape;
    private final long[] strides;

    public Operand(DeviceBuffer buffer, long offset, long[] shape, long[] strides) {
        checkArgument(
                shape.length == strides.length,
                () -> "shape " + Arrays.toString(shape) + " and strides " + Arrays.toString(strides)
                        + " differ in rank");
        this.buffer = buffer;
        this.offset = offset;
        this.shape = shape;
        this.strides = strides;
    }

    /** A row-major view of {@code shape} starting at element 0. */
    public static Operand contiguous(DeviceBuffer buffer, long... shape) {
        return new Operand(buffer, 0, shape, contiguousStrides(shape));
    }

    /** Row-major strides for {@code shape}. */
    public static long[] contiguousStrides(long[] shape) {
        long[] s = new long[shape.length];
        long acc = 1;
        for (int i = shape.length - 1; i >= 0; i--) {
            s[i] = acc;
            acc *= Math.max(shape[i], 1);
        }
        return s;
    }

    public DeviceBuffer buffer() {
        return buffer;
    }

    public DType dtype() {
        return buffer.dtype();
    }

    public long offset() {
        return offset;
    }

    /** The shape; callers must not modify the array. */
    public long[] shape() {
        return shape;
    }

    /** The strides in elements; callers must not modify the array. */
    public long[] strides() {
        return strides;
    }

    public int rank() {
        return shape.length;
    }

    public long numel() {
        long n = 1;
        for (long d : shape) {
            n *= d;
        }
        return n;
    }

    /** True when the elements are laid out row-major without gaps (dimensions of size 1 may have any stride). */
    public boolean isContiguous() {
        long expected = 1;
        for (int i = shape.length - 1; i >= 0; i--) {
            if (shape[i] != 1) {
                if (strides[i] != expected) {
                    return shape[i] == 0;
                }
                expected *= shape[i];
            }
        }
        return true;
    }

    @Override
    public String toString() {
        return "Operand(" + buffer + ", offset=" + offset + ", shape=" + Arrays.toString(shape) + ", strides="
                + Arrays.toString(strides) + ")";
    }
}
