package org.plugtorch.internal.autograd;

import static org.plugtorch.internal.runtime.Tensors.impl;
import static org.plugtorch.spi.Preconditions.checkArgument;
import static org.plugtorch.spi.Preconditions.checkState;

import org.plugtorch.GradMode;
import org.plugtorch.Node;
import org.plugtorch.Tensor;
import org.plugtorch.internal.runtime.AutogradMeta;
import org.plugtorch.internal.runtime.TensorImpl;

/**
 * The rules that read and write a tensor's autograd state ({@link AutogradMeta}): leaves and results, where a
 * gradient goes, recording a node on a result, and view tracking. {@code Tensor}'s autograd methods and
 * {@code Node} are thin over these.
 */
public final class Autograd {
    private Autograd() {}

    /** The node that produced {@code t}, refreshing a view's history when its base changed since. */
    public static Node gradFn(Tensor t) {
        TensorImpl i = impl(t);
        AutogradMeta m = i.autograd;
        if (i.base != null && i.viewVersion != i.storage.version) {
            ViewAutograd.refresh(t, i);
            m = i.autograd;
        }
        return m == null ? null : m.gradFn;
    }

    /** The node last recorded on {@code t}, without refreshing a view's history. */
    public static Node rawGradFn(Tensor t) {
        AutogradMeta m = impl(t).autograd;
        return m == null ? null : m.gradFn;
    }

    /** True for a leaf that asked for its gradient, and for every result recorded from one. */
    public static boolean requiresGrad(Tensor t) {
        TensorImpl i = impl(t);
        AutogradMeta m = i.autograd;
        if (m != null && m.requiresGrad) {
            return true;
        }
        return (m != null || i.base != null) && gradFn(t) != null;
    }

    /** The flag of a leaf, without its history. */
    static boolean requiresGradFlag(Tensor t) {
        AutogradMeta m = impl(t).autograd;
        return m != null && m.requiresGrad;
    }

    /** Where the gradient of {@code t} goes: its node, its accumulator when it is a leaf that requires grad, or null. */
    public static Node edgeOf(Tensor t) {
        Node fn = gradFn(t);
        if (fn != null) {
            return fn;
        }
        return requiresGradFlag(t) ? accumulator(t) : null;
    }

    static Node accumulator(Tensor t) {
        AutogradMeta m = impl(t).autogradForWrite();
        Node acc = m.accumulator;
        if (acc == null) {
            // two threads may both make one; either accumulates into the same leaf, so the race is harmless
            acc = new AccumulateGrad(t);
            m.accumulator = acc;
        }
        return acc;
    }

    /** See {@link Node#attach}. */
    public static Tensor attach(Node fn, Tensor output) {
        TensorImpl i = impl(output);
        AutogradMeta m = i.autograd;
        checkArgument(
                m == null || (m.gradFn == null && !m.requiresGrad),
                "a graph node can only be attached to a new result, not to a tensor " + "that requires grad already");
        i.autogradForWrite().gradFn = fn;
        i.base = null;
        return output;
    }

    /** Makes {@code fn} the history of a view; the view keeps its base, and is current with the base's version. */
    public static Tensor attachView(Node fn, Tensor view) {
        TensorImpl i = impl(view);
        i.autogradForWrite().gradFn = fn;
        i.viewVersion = i.storage.version;
        return view;
    }

    /**
     * Marks {@code view}, a new view of {@code source}'s storage, as a view of source's base (or of source), as
     * PyTorch makes every view of a floating-point tensor a differentiable view. Views of other dtypes, which can
     * never require grad, carry no autograd state.
     */
    public static Tensor markView(Tensor source, Tensor view) {
        if (!source.isFloatingPoint()) {
            return view;
        }
        TensorImpl s = impl(source);
        Tensor root = s.base != null && impl(s.base).storage == s.storage ? s.base : source;
        TensorImpl v = impl(view);
        v.base = root;
        v.viewVersion = s.storage.version;
        AutogradMeta sm = s.autograd;
        if ((sm != null && sm.noGradView) || (requiresGrad(root) && !GradMode.isEnabled())) {
            v.autogradForWrite().noGradView = true;
        }
        return view;
    }

    /** Sets the {@code requires_grad} flag of a leaf (the caller checked that it may). */
    public static void setRequiresGrad(Tensor t, boolean requiresGrad) {
        TensorImpl i = impl(t);
        if (requiresGrad) {
            i.autogradForWrite().requiresGrad = true;
        } else if (i.autograd != null) {
            i.autograd.requiresGrad = false;
        }
    }

    public static Tensor grad(Tensor t) {
        AutogradMeta m = impl(t).autograd;
        return m == null ? null : m.grad;
    }

    public static void setGrad(Tensor t, Tensor grad) {
        TensorImpl i = impl(t);
        if (grad == null && i.autograd == null) {
            return;
        }
        i.autogradForWrite().grad = grad;
    }

    public static boolean retainsGrad(Tensor t) {
        AutogradMeta m = impl(t).autograd;
        return m != null && m.retainsGrad && gradFn(t) != null;
    }

    /** Makes {@code t} a leaf that does not require grad (views cannot be detached in place). */
    public static void detachInPlace(Tensor t) {
        TensorImpl i = impl(t);
        checkState(i.base == null, "Can't detach views in-place. Use detach() instead.");
        AutogradMeta m = i.autograd;
        if (m == null) {
            return;
        }
        m.gradFn = null;
        m.requiresGrad = false;
        m.retainsGrad = false;
    }
}
