package org.plugtorch.internal.runtime;

import java.util.Arrays;
import org.plugtorch.spi.Operand;

/** Shape arithmetic shared by views, broadcasting and error texts. */
public final class Shapes {
    private Shapes() {}

    /** The element count of a shape that was checked when its tensor was made ({@link #checkShape}, views). */
    public static long numel(long[] shape) {
        long n = 1;
        for (long d : shape) {
            n *= d;
        }
        return n;
    }

    /**
     * The element count of non-negative sizes, or -1 when it overflows as PyTorch counts ({@code safe_multiplies_u64}
     * then the int64 limit): the running product may not pass 2^64 - 1, even when a later size is 0, and the count
     * may not pass 2^63 - 1. So {@code [2^62 + 1, 4]} overflows (PyTorch refuses it; wrapped, it would be 4
     * elements), and {@code [2^62, 4, 0]} too, as in PyTorch.
     */
    public static long checkedNumel(long[] shape) {
        long n = 1;
        for (long d : shape) {
            // unsigned n * d overflows iff d != 0 and n > (2^64 - 1) / d
            if (d != 0 && Long.compareUnsigned(n, Long.divideUnsigned(-1L, d)) > 0) {
                return -1;
            }
            n *= d;
        }
        return n < 0 ? -1 : n;
    }

    /** The element count of a view's sizes, with PyTorch's error when it overflows. */
    public static long viewNumel(long[] shape) {
        long n = checkedNumel(shape);
        if (n < 0) {
            throw new IllegalArgumentException("numel: integer multiplication overflow");
        }
        return n;
    }

    /** PyTorch's printed form of a shape in error texts: {@code torch.Size([3, 3])}. */
    public static String torchSize(long[] shape) {
        return "torch.Size(" + list(shape) + ")";
    }

    /** {@code [3, 3]}. */
    public static String list(long[] shape) {
        StringBuilder sb = new StringBuilder("[");
        for (int i = 0; i < shape.length; i++) {
            sb.append(i == 0 ? "" : ", ").append(shape[i]);
        }
        return sb.append(']').toString();
    }

    /** The checks of every factory: no negative size, and an element count that fits, with PyTorch's texts. */
    public static void checkShape(long[] shape) {
        for (long d : shape) {
            if (d < 0) {
                throw new IllegalArgumentException(
                        "Trying to create tensor with negative dimension " + d + ": " + list(shape));
            }
        }
        if (checkedNumel(shape) < 0) {
            throw new IllegalArgumentException("Storage size calculation overflowed with sizes=" + list(shape));
        }
    }

    /** Wraps a possibly negative dimension index, with PyTorch's error text. */
    public static int wrapDim(long dim, int rank) {
        int r = Math.max(rank, 1);
        if (dim < -r || dim >= r) {
            throw new IndexOutOfBoundsException("Dimension out of range (expected to be in range of [" + (-r) + ", "
                    + (r - 1) + "], but got " + dim + ")");
        }
        return (int) (dim < 0 ? dim + r : dim);
    }

    /** The broadcast shape of two shapes, or PyTorch's error naming the first dimension that differs. */
    public static long[] broadcast(long[] a, long[] b) {
        int n = Math.max(a.length, b.length);
        long[] out = new long[n];
        for (int i = 0; i < n; i++) {
            int ia = a.length - n + i;
            int ib = b.length - n + i;
            long da = ia >= 0 ? a[ia] : 1;
            long db = ib >= 0 ? b[ib] : 1;
            if (da != db && da != 1 && db != 1) {
                throw new IllegalArgumentException("The size of tensor a (" + da + ") must match the size of tensor b ("
                        + db + ") at non-singleton dimension " + i);
            }
            out[i] = da == 1 ? db : da;
        }
        return out;
    }

    /** True when a tensor of {@code shape} broadcasts to {@code target} (PyTorch's {@code is_expandable_to}). */
    public static boolean expandableTo(long[] shape, long[] target) {
        if (shape.length > target.length) {
            return false;
        }
        for (int i = 1; i <= shape.length; i++) {
            long s = shape[shape.length - i];
            if (s != target[target.length - i] && s != 1) {
                return false;
            }
        }
        return true;
    }

    /** Strides that view a tensor of {@code shape}/{@code strides} as {@code target} (stride 0 on broadcast dimensions). */
    public static long[] expandStrides(long[] shape, long[] strides, long[] target) {
        int n = target.length;
        if (n < shape.length) {
            throw new IllegalArgumentException("expand: the number of sizes provided (" + n
                    + ") must be greater or equal to the number of dimensions in the tensor (" + shape.length + ")");
        }
        long[] out = new long[n];
        for (int i = n - 1; i >= 0; i--) {
            int j = shape.length - n + i;
            if (j < 0) {
                out[i] = 0;
            } else if (shape[j] == target[i]) {
                out[i] = strides[j];
            } else if (shape[j] == 1) {
                out[i] = 0;
            } else {
                throw new IllegalArgumentException("The expanded size of the tensor (" + target[i]
                        + ") must match the existing size (" + shape[j] + ") at non-singleton dimension " + i
                        + ".  Target sizes: " + list(target) + ".  Tensor sizes: " + list(shape));
            }
        }
        return out;
    }

    /** Replaces a single -1 by the size that keeps {@code numel} elements, with PyTorch's error texts. */
    public static long[] inferSize(long[] requested, long numel) {
        long[] shape = requested.clone();
        int infer = -1;
        for (int i = 0; i < shape.length; i++) {
            if (shape[i] == -1) {
                if (infer >= 0) {
                    throw new IllegalArgumentException("only one dimension can be inferred");
                }
                infer = i;
            } else if (shape[i] < 0) {
                throw new IllegalArgumentException("invalid shape dimension " + shape[i]);
            }
        }
        long[] given = shape.clone();
        if (infer >= 0) {
            given[infer] = 1;
        }
        long known = checkedNumel(given);
        if (known < 0) {
            // a product past a long's range: no tensor has that many elements
            throw new IllegalArgumentException("shape '" + list(requested) + "' is invalid for input of size " + numel);
        }
        if (infer >= 0) {
            if (known == 0 || numel % known != 0) {
                throw new IllegalArgumentException(
                        "shape '" + list(requested) + "' is invalid for input of size " + numel);
            }
            shape[infer] = numel / known;
        } else if (known != numel) {
            throw new IllegalArgumentException("shape '" + list(requested) + "' is invalid for input of size " + numel);
        }
        return shape;
    }

    /**
     * Strides that let a tensor of {@code oldShape}/{@code oldStrides} be viewed as {@code newShape} without copying,
     * or null when no such strides exist (ATen's {@code computeStride}).
     */
    public static long[] viewStrides(long[] oldShape, long[] oldStrides, long[] newShape) {
        long[] newStrides = new long[newShape.length];
        if (numel(oldShape) == 0) {
            return Arrays.equals(oldShape, newShape) ? oldStrides.clone() : contiguous(newShape);
        }
        if (oldShape.length == 0) {
            return contiguous(newShape);
        }
        int viewD = newShape.length - 1;
        long chunkBaseStride = oldStrides.length > 0 ? oldStrides[oldStrides.length - 1] : 1;
        long tensorNumel = 1;
        long viewNumel = 1;
        for (int tensorD = oldShape.length - 1; tensorD >= 0; tensorD--) {
            tensorNumel *= oldShape[tensorD];
            if (tensorD == 0
                    || (oldShape[tensorD - 1] != 1 && oldStrides[tensorD - 1] != tensorNumel * chunkBaseStride)) {
                while (viewD >= 0 && (viewNumel < tensorNumel || newShape[viewD] == 1)) {
                    newStrides[viewD] = viewNumel * chunkBaseStride;
                    viewNumel *= newShape[viewD];
                    viewD--;
                }
                if (viewNumel != tensorNumel) {
                    return null;
                }
                if (tensorD > 0) {
                    chunkBaseStride = oldStrides[tensorD - 1];
                    tensorNumel = 1;
                    viewNumel = 1;
                }
            }
        }
        if (viewD != -1) {
            return null;
        }
        return newStrides;
    }

    public static long[] contiguous(long[] shape) {
        return Operand.contiguousStrides(shape);
    }

    public static boolean isContiguous(long[] shape, long[] strides) {
        long expected = 1;
        for (int i = shape.length - 1; i >= 0; i--) {
            if (shape[i] == 0) {
                return true;
            }
            if (shape[i] != 1) {
                if (strides[i] != expected) {
                    return false;
                }
                expected *= shape[i];
            }
        }
        return true;
    }

    /**
     * PyTorch's {@code is_non_overlapping_and_dense}: some order of the dimensions is contiguous (a transpose of a
     * contiguous tensor is dense; a slice with gaps or a broadcast is not).
     */
    public static boolean isNonOverlappingAndDense(long[] shape, long[] strides) {
        Integer[] order = new Integer[shape.length];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        java.util.Arrays.sort(order, (x, y) -> Long.compare(strides[x], strides[y]));
        long expected = 1;
        for (int i : order) {
            if (shape[i] == 0) {
                return true;
            }
            if (shape[i] != 1) {
                if (strides[i] != expected) {
                    return false;
                }
                expected *= shape[i];
            }
        }
        return true;
    }

    public static long[] remove(long[] a, int index) {
        long[] out = new long[a.length - 1];
        System.arraycopy(a, 0, out, 0, index);
        System.arraycopy(a, index + 1, out, index, a.length - index - 1);
        return out;
    }

    public static long[] insert(long[] a, int index, long value) {
        long[] out = new long[a.length + 1];
        System.arraycopy(a, 0, out, 0, index);
        out[index] = value;
        System.arraycopy(a, index, out, index + 1, a.length - index);
        return out;
    }
}
