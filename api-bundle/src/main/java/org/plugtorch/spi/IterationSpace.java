package org.plugtorch.spi;

import static org.plugtorch.spi.Preconditions.checkArgument;

import java.util.Arrays;

/**
 * The iteration space of operands that share one shape, with as few dimensions as possible: PyTorch's
 * {@code TensorIterator::coalesce_dimensions}, written once for every backend. Dimensions of size 1 are dropped
 * (their stride is never used), and a dimension merges into the one outside it wherever every operand steps through
 * the two as through one (the outer stride is the inner stride times the inner size). A contiguous tensor of any
 * rank, a broadcast scalar and many transposed copies come out as one dimension, so a kernel sees long runs and pays
 * one loop or one index division per dimension that is left.
 *
 * <p>{@link #inOrder} keeps the dimensions' order: a reduction needs it, since ARGMAX and ARGMIN report row-major
 * positions, which merging neighbours preserves. {@link #anyOrder}, for element-wise calls (each element computed on
 * its own), first sorts the dimensions so that the first operand, the destination, has its largest stride outside
 * and its smallest innermost (ties go to the other operands in turn, then to the original order): a transposed or
 * permuted destination then walks memory forwards and can merge.
 *
 * <p>Only the shared logic lives here. What a backend makes of the result (int positions for Java loops, a kernel's
 * argument struct, launches split when a space has more dimensions than its kernels take) is the backend's own.
 */
public final class IterationSpace {
    private final long[] shape;
    private final long[][] strides;
    private final long numel;

    private IterationSpace(long[] shape, long[][] strides, long numel) {
        this.shape = shape;
        this.strides = strides;
        this.numel = numel;
    }

    /** The space of {@code shape}, which every operand shares, given each operand's strides; order kept. */
    public static IterationSpace inOrder(long[] shape, long[]... strides) {
        return coalesce(shape, strides, false, Long.MAX_VALUE);
    }

    /** As {@link #inOrder}, the dimensions first sorted by the first operand's strides, largest outside. */
    public static IterationSpace anyOrder(long[] shape, long[]... strides) {
        return coalesce(shape, strides, true, Long.MAX_VALUE);
    }

    /**
     * The general form of {@link #inOrder} and {@link #anyOrder}.
     *
     * @param strides  one array per operand, each of {@code shape.length} strides in elements
     * @param anyOrder whether the dimensions may be sorted by the first operand's strides
     * @param maxSize  the largest size a merged dimension may have: a backend that counts in ints (a Java array)
     *                 passes {@link Integer#MAX_VALUE}, since a broadcast operand can address more elements than one
     *                 array holds
     */
    public static IterationSpace coalesce(long[] shape, long[][] strides, boolean anyOrder, long maxSize) {
        int operands = strides.length;
        for (long[] s : strides) {
            checkArgument(
                    s.length == shape.length,
                    () -> "shape " + Arrays.toString(shape) + " and strides " + Arrays.toString(s) + " differ in rank");
        }
        // plain arrays and an insertion sort, not boxed indices and a comparator: a space is built on every
        // element-wise call of some backends, and ranks are small
        int[] dims = new int[shape.length];
        int count = 0;
        long numel = 1;
        for (int d = 0; d < shape.length; d++) {
            numel *= shape[d];
            if (shape[d] != 1) {
                dims[count++] = d;
            }
        }
        if (anyOrder) {
            for (int i = 1; i < count; i++) {
                int d = dims[i];
                int j = i;
                while (j > 0 && outside(strides, d, dims[j - 1])) {
                    dims[j] = dims[j - 1];
                    j--;
                }
                dims[j] = d;
            }
        }
        long[] outShape = new long[count];
        // row by row: a two-dimensional new with a variable length is a call into the VM, a third of the time here
        long[][] outStrides = new long[operands][];
        for (int k = 0; k < operands; k++) {
            outStrides[k] = new long[count];
        }
        int rank = 0;
        for (int i = 0; i < count; i++) {
            int d = dims[i];
            long size = shape[d];
            long merged = rank > 0 ? outShape[rank - 1] * size : -1;
            // a product past a long has high bits (and a negative size, which no checked operand has, never merges)
            boolean merge = merged >= 0 && merged <= maxSize && Math.multiplyHigh(outShape[rank - 1], size) == 0;
            for (int k = 0; k < operands && merge; k++) {
                merge = outStrides[k][rank - 1] == strides[k][d] * size;
            }
            if (merge) {
                outShape[rank - 1] = merged;
            } else {
                outShape[rank++] = size;
            }
            for (int k = 0; k < operands; k++) {
                outStrides[k][rank - 1] = strides[k][d];
            }
        }
        if (rank < count) {
            outShape = Arrays.copyOf(outShape, rank);
            for (int k = 0; k < operands; k++) {
                outStrides[k] = Arrays.copyOf(outStrides[k], rank);
            }
        }
        return new IterationSpace(outShape, outStrides, numel);
    }

    /** Whether dimension {@code x} goes outside {@code y}: a larger stride of the first operand, ties to the next. */
    private static boolean outside(long[][] strides, int x, int y) {
        for (long[] s : strides) {
            int c = Long.compare(Math.abs(s[x]), Math.abs(s[y]));
            if (c != 0) {
                return c > 0;
            }
        }
        return false;
    }

    /** Dimensions left: 0 for a single element. */
    public int rank() {
        return shape.length;
    }

    public int operands() {
        return strides.length;
    }

    /** Sizes, outermost first; callers must not modify the array. */
    public long[] shape() {
        return shape;
    }

    public long size(int dim) {
        return shape[dim];
    }

    /** One operand's strides, outermost first; callers must not modify the array. */
    public long[] strides(int operand) {
        return strides[operand];
    }

    public long stride(int operand, int dim) {
        return strides[operand][dim];
    }

    /** The number of elements: the product of the original shape (0 when any dimension is 0). */
    public long numel() {
        return numel;
    }

    /** True when every operand visits its elements one after another, as one run of unit stride. */
    public boolean isUnitStride() {
        if (shape.length != 1) {
            return shape.length == 0;
        }
        for (long[] s : strides) {
            if (s[0] != 1) {
                return false;
            }
        }
        return true;
    }

    /**
     * Advances a row-major multi-index over {@code shape} by one element; false when it wrapped around to all zeros.
     * Start from zeros and loop {@code do { ... } while (next(index, shape))} to visit every index of a non-empty
     * shape once.
     */
    public static boolean next(long[] index, long[] shape) {
        for (int d = index.length - 1; d >= 0; d--) {
            if (++index[d] < shape[d]) {
                return true;
            }
            index[d] = 0;
        }
        return false;
    }

    @Override
    public String toString() {
        StringBuilder s = new StringBuilder("IterationSpace(shape=").append(Arrays.toString(shape));
        for (int k = 0; k < strides.length; k++) {
            s.append(", operand ").append(k).append(" strides ").append(Arrays.toString(strides[k]));
        }
        return s.append(')').toString();
    }
}
