package org.plugtorch.nn;

import org.plugtorch.Tensor;

/**
 * What {@code target.copy_(source)} refuses, asked before copying: a load plans every copy and makes none unless all
 * would succeed. The rules and texts are those of the tensor runtime's in-place check (PyTorch's
 * {@code assert_no_internal_overlap} and {@code assert_no_partial_overlap}); a test holds the two to the same answers.
 */
final class CopyChecks {
    static final String OVERLAP = "unsupported operation: more than one element of the written-to tensor refers to "
            + "a single memory location. Please clone() the tensor before performing the operation.";
    static final String PARTIAL_OVERLAP = "unsupported operation: some elements of the input tensor and the "
            + "written-to tensor refer to a single memory location. Please clone() the tensor before performing the "
            + "operation.";

    private CopyChecks() {
    }

    /** The text copy_ would fail with, or null when it would copy; {@code source} may be null (a value from a file). */
    static String refusal(Tensor target, Tensor source) {
        long[] shape = target.shape();
        long[] strides = target.stride();
        for (int i = 0; i < shape.length; i++) {
            if (strides[i] == 0 && shape[i] > 1) {
                return OVERLAP;
            }
        }
        if (source != null && partiallyOverlaps(target, source)) {
            return PARTIAL_OVERLAP;
        }
        return null;
    }

    /** Both dense on one storage, covering ranges that meet without being the same. */
    private static boolean partiallyOverlaps(Tensor self, Tensor other) {
        if (!other.sharesStorageWith(self) || !nonOverlappingAndDense(self) || !nonOverlappingAndDense(other)) {
            return false;
        }
        long selfEnd = self.storageOffset() + self.numel();
        long otherEnd = other.storageOffset() + other.numel();
        boolean meet = self.storageOffset() < otherEnd && other.storageOffset() < selfEnd;
        return meet && !(self.storageOffset() == other.storageOffset() && selfEnd == otherEnd);
    }

    /** PyTorch's {@code is_non_overlapping_and_dense}: some order of the dimensions is contiguous. */
    private static boolean nonOverlappingAndDense(Tensor t) {
        long[] shape = t.shape();
        long[] strides = t.stride();
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
}
