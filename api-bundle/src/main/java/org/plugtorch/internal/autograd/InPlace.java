package org.plugtorch.internal.autograd;

import static org.plugtorch.internal.runtime.Tensors.impl;
import static org.plugtorch.spi.Preconditions.checkArgument;
import static org.plugtorch.spi.Preconditions.checkState;

import org.plugtorch.GradMode;
import org.plugtorch.Node;
import org.plugtorch.Tensor;
import org.plugtorch.internal.runtime.AutogradMeta;
import org.plugtorch.internal.runtime.Shapes;
import org.plugtorch.internal.runtime.TensorImpl;

/**
 * What every in-place operation does around its kernel (PyTorch's {@code check_inplace} and
 * {@code rebase_history}): refuse to write into a tensor whose elements overlap; with grad mode on, refuse to
 * modify a leaf that requires grad (or a view of one); count a new version of the storage, so that a tensor saved
 * for a backward pass knows it changed; and, when the operation is recorded, make its node the tensor's new
 * history (through {@link ViewAutograd.CopySlices} when the tensor is a view).
 *
 * <p>Usage: {@code Node fn = begin(self, other) ? new XBackward(...) : null;} then the kernel, then
 * {@code end(self, fn, other)}. The node is made before the kernel so that it captures the inputs' histories as
 * they were.
 */
public final class InPlace {
    public static final String LEAF = "a leaf Variable that requires grad is being used in an in-place operation.";
    public static final String VIEW_OF_LEAF =
            "a view of a leaf Variable that requires grad is being used in an " + "in-place operation.";
    public static final String NO_GRAD_VIEW = "A view was created in no_grad mode and is being modified inplace with "
            + "grad mode enabled. Given that this use case is ambiguous and error-prone, it is forbidden. You can "
            + "clarify your code by moving both the view and the inplace either both inside the no_grad block (if you "
            + "don't want the inplace to be tracked) or both outside (if you want the inplace to be tracked).";
    public static final String OVERLAP = "unsupported operation: more than one element of the written-to tensor "
            + "refers to a single memory location. Please clone() the tensor before performing the operation.";
    public static final String PARTIAL_OVERLAP = "unsupported operation: some elements of the input tensor and the "
            + "written-to tensor refer to a single memory location. Please clone() the tensor before performing the "
            + "operation.";

    private InPlace() {}

    /** Checks an in-place operation on {@code self} with {@code other} (or null); true when it must be recorded. */
    public static boolean begin(Tensor self, Tensor other) {
        String refused = refusal(self, other);
        checkArgument(refused == null, refused);
        TensorImpl s = impl(self);
        AutogradMeta m = s.autograd;
        boolean noGradView = m != null && m.noGradView;
        boolean selfRequires = Autograd.requiresGrad(self);
        boolean otherRequires = other != null && other.requiresGrad();
        if (!selfRequires && !otherRequires && !noGradView) {
            return false;
        }
        if (!GradMode.isEnabled()) {
            return false;
        }
        Tensor base = s.base;
        checkState(!noGradView || !base.requiresGrad(), NO_GRAD_VIEW);
        checkState(!Autograd.requiresGradFlag(self) || Autograd.gradFn(self) != null, LEAF);
        if (base != null
                && impl(base).storage == s.storage
                && Autograd.requiresGradFlag(base)
                && Autograd.gradFn(base) == null) {
            throw new IllegalStateException(VIEW_OF_LEAF);
        }
        return selfRequires || otherRequires;
    }

    /**
     * Why writing into {@code self} in place (from {@code other}, or null) is refused whatever autograd says, or null:
     * elements of self that share memory (PyTorch's {@code assert_no_internal_overlap}), or an input that partly
     * overlaps it. A module's load asks this of every copy before it makes the first.
     */
    public static String refusal(Tensor self, Tensor other) {
        TensorImpl s = impl(self);
        for (int i = 0; i < s.shape.length; i++) {
            if (s.strides[i] == 0 && s.shape[i] > 1) {
                return OVERLAP;
            }
        }
        return other != null && partiallyOverlaps(self, other) ? PARTIAL_OVERLAP : null;
    }

    /**
     * Counts the new version and, when {@code fn} is not null, makes it {@code self}'s history; {@code other} is the
     * operation's second input given to {@link #begin} (or null). Returns self.
     */
    public static Tensor end(Tensor self, Node fn, Tensor other) {
        TensorImpl s = impl(self);
        s.storage.version++;
        if (fn != null) {
            rebase(self, s, fn, other);
        }
        return self;
    }

    private static void rebase(Tensor self, TensorImpl s, Node fn, Tensor other) {
        AutogradMeta m = s.autogradForWrite();
        Tensor base = s.base;
        if (base == null || impl(base).storage != s.storage) {
            s.base = null;
            m.gradFn = fn;
            if (m.retainsGrad) {
                self.retainGrad();
            }
            return;
        }
        impl(base).autogradForWrite().gradFn = new ViewAutograd.CopySlices(base, self, fn, other);
        m.gradFn = new ViewAutograd.AsStridedBackward0(base, self);
        s.viewVersion = s.storage.version;
    }

    /**
     * PyTorch's {@code assert_no_partial_overlap}: both tensors dense on one storage, covering ranges that meet
     * without being the same. Backends are promised that an input is either the output exactly or apart from it,
     * so that a kernel may read and write in any order; layouts PyTorch finds too hard to judge pass, as there.
     */
    public static boolean partiallyOverlaps(Tensor self, Tensor other) {
        TensorImpl s = impl(self);
        TensorImpl o = impl(other);
        if (o.storage != s.storage
                || !Shapes.isNonOverlappingAndDense(s.shape, s.strides)
                || !Shapes.isNonOverlappingAndDense(o.shape, o.strides)) {
            return false;
        }
        long selfEnd = s.offset + s.numel();
        long otherEnd = o.offset + o.numel();
        boolean meet = s.offset < otherEnd && o.offset < selfEnd;
        return meet && !(s.offset == o.offset && selfEnd == otherEnd);
    }
}
