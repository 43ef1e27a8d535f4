package org.plugtorch;

import java.lang.ref.WeakReference;

/**
 * What every in-place operation does around its kernel (PyTorch's {@code check_inplace} and
 * {@code rebase_history}): refuse to write into a tensor whose elements overlap; with grad mode on, refuse to
 * modify a leaf that requires grad (or a view of one); count a new version of the storage, so that a tensor saved
 * for a backward pass knows it changed; and, when the operation is recorded, make its node the tensor's new
 * history (through {@link ViewAutograd.CopySlices} when the tensor is a view).
 *
 * <p>Usage: {@code Node fn = begin(self, other) ? new XBackward(...) : null;} then the kernel, then
 * {@code end(self, fn)}. The node is made before the kernel so that it captures the inputs' histories as they were.
 */
final class InPlace {
    static final String LEAF = "a leaf Variable that requires grad is being used in an in-place operation.";
    static final String VIEW_OF_LEAF = "a view of a leaf Variable that requires grad is being used in an in-place operation.";
    static final String NO_GRAD_VIEW = "A view was created in no_grad mode and is being modified inplace with grad "
            + "mode enabled. Given that this use case is ambiguous and error-prone, it is forbidden. You can clarify "
            + "your code by moving both the view and the inplace either both inside the no_grad block (if you don't "
            + "want the inplace to be tracked) or both outside (if you want the inplace to be tracked).";
    static final String OVERLAP = "unsupported operation: more than one element of the written-to tensor refers to "
            + "a single memory location. Please clone() the tensor before performing the operation.";

    static final String PARTIAL_OVERLAP = "unsupported operation: some elements of the input tensor and the "
            + "written-to tensor refer to a single memory location. Please clone() the tensor before performing the "
            + "operation.";

    private InPlace() {
    }

    /** Checks an in-place operation on {@code self} with {@code other} (or null); true when it must be recorded. */
    static boolean begin(Tensor self, Tensor other) {
        for (int i = 0; i < self.shape.length; i++) {
            if (self.strides[i] == 0 && self.shape[i] > 1) {
                throw new IllegalArgumentException(OVERLAP);
            }
        }
        if (other != null && partiallyOverlaps(self, other)) {
            throw new IllegalArgumentException(PARTIAL_OVERLAP);
        }
        boolean selfRequires = self.requiresGrad();
        boolean otherRequires = other != null && other.requiresGrad();
        if (!selfRequires && !otherRequires && !self.noGradView) {
            return false;
        }
        if (!GradMode.isEnabled()) {
            return false;
        }
        Tensor base = self.base;
        if (self.noGradView && base.requiresGrad()) {
            throw new IllegalStateException(NO_GRAD_VIEW);
        }
        if (self.requiresGradFlag() && self.gradFn() == null) {
            throw new IllegalStateException(LEAF);
        }
        if (base != null && base.storage == self.storage && base.requiresGradFlag() && base.gradFn() == null) {
            throw new IllegalStateException(VIEW_OF_LEAF);
        }
        return selfRequires || otherRequires;
    }

    /** Counts the new version and, when {@code fn} is not null, makes it {@code self}'s history. Returns self. */
    static Tensor end(Tensor self, Node fn) {
        self.storage.version++;
        if (fn != null) {
            rebase(self, fn);
        }
        return self;
    }

    private static void rebase(Tensor self, Node fn) {
        Tensor base = self.base;
        if (base == null || base.storage != self.storage) {
            self.base = null;
            self.gradFn = fn;
            if (self.retainsGrad) {
                fn.retainer = new WeakReference<>(self);
            }
            return;
        }
        base.gradFn = new ViewAutograd.CopySlices(base, self, fn);
        self.gradFn = new ViewAutograd.AsStridedBackward0(base, self);
        self.viewVersion = self.storage.version;
    }

    /**
     * PyTorch's {@code assert_no_partial_overlap}: both tensors dense on one storage, covering ranges that meet
     * without being the same. Backends are promised that an input is either the output exactly or apart from it,
     * so that a kernel may read and write in any order; layouts PyTorch finds too hard to judge pass, as there.
     */
    static boolean partiallyOverlaps(Tensor self, Tensor other) {
        if (other.storage != self.storage || !Shapes.isNonOverlappingAndDense(self.shape, self.strides)
                || !Shapes.isNonOverlappingAndDense(other.shape, other.strides)) {
            return false;
        }
        long selfEnd = self.offset + self.numel();
        long otherEnd = other.offset + other.numel();
        boolean meet = self.offset < otherEnd && other.offset < selfEnd;
        return meet && !(self.offset == other.offset && selfEnd == otherEnd);
    }
}
