package org.plugtorch.internal.runtime;

import org.plugtorch.Node;
import org.plugtorch.Tensor;

/**
 * The autograd state of one tensor, PyTorch's {@code AutogradMeta}: held by its {@link TensorImpl} only once it is
 * needed (a view's base and version are on the {@link TensorImpl} itself: every view of a floating-point tensor has
 * them, and a field costs less than an object per view). This is plain state; the rules that read and
 * write it (recording, leaves, views, in-place checks) are in {@code org.plugtorch.internal.autograd}.
 */
public final class AutogradMeta {
    /** A leaf's {@code requires_grad} flag (a result requires grad through its {@link #gradFn}). */
    public boolean requiresGrad;

    public Tensor grad;
    /** The operation that produced the tensor, when it was recorded; null for a leaf. */
    public Node gradFn;
    /** Where the gradient of this leaf accumulates ({@code AccumulateGrad}); made when first needed. */
    public Node accumulator;
    /**
     * A view made with grad mode off of a base that requires grad: modifying it in place with grad mode on is
     * refused (PyTorch's {@code CreationMeta::NO_GRAD_MODE}).
     */
    public boolean noGradView;

    public boolean retainsGrad;
}
