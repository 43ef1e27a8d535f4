package org.plugtorch.io;

import static org.plugtorch.spi.Preconditions.checkArgument;

import java.util.Arrays;
import org.plugtorch.DType;
import org.plugtorch.Tensor;
import org.plugtorch.spi.HostBuffer;

/** Java arrays of one Plugtorch dtype ({@code float[]}, {@code double[]}, {@code long[]}, {@code int[]}, {@code boolean[]}). */
final class HostArrays {
    private HostArrays() {}

    static Object allocate(DType dtype, long length, String what) {
        checkArgument(
                length <= HostBuffer.MAX_SIZE,
                () -> what + " has " + length + " elements, more than a cpu tensor holds (" + HostBuffer.MAX_SIZE
                        + "); map it to another device");
        int n = (int) length;
        switch (dtype) {
            case FLOAT32:
                return new float[n];
            case FLOAT64:
                return new double[n];
            case INT64:
                return new long[n];
            case INT32:
                return new int[n];
            case BOOL:
                return new boolean[n];
            default:
                throw new AssertionError(dtype);
        }
    }

    static int length(Object array) {
        if (array instanceof float[]) {
            return ((float[]) array).length;
        } else if (array instanceof double[]) {
            return ((double[]) array).length;
        } else if (array instanceof long[]) {
            return ((long[]) array).length;
        } else if (array instanceof int[]) {
            return ((int[]) array).length;
        }
        return ((boolean[]) array).length;
    }

    /** The first {@code n} elements (the array itself when that is all of it). */
    static Object prefix(Object array, int n) {
        if (length(array) == n) {
            return array;
        } else if (array instanceof float[]) {
            return Arrays.copyOf((float[]) array, n);
        } else if (array instanceof double[]) {
            return Arrays.copyOf((double[]) array, n);
        } else if (array instanceof long[]) {
            return Arrays.copyOf((long[]) array, n);
        } else if (array instanceof int[]) {
            return Arrays.copyOf((int[]) array, n);
        }
        return Arrays.copyOf((boolean[]) array, n);
    }

    /** A cpu tensor of {@code shape} holding the array's elements (Tensor.fromArray copies them). */
    static Tensor tensor(Object array, long[] shape) {
        if (array instanceof float[]) {
            return Tensor.fromArray((float[]) array, shape);
        } else if (array instanceof double[]) {
            return Tensor.fromArray((double[]) array, shape);
        } else if (array instanceof long[]) {
            return Tensor.fromArray((long[]) array, shape);
        } else if (array instanceof int[]) {
            return Tensor.fromArray((int[]) array, shape);
        }
        return Tensor.fromArray((boolean[]) array, shape);
    }
}
