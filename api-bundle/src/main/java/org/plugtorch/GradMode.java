package org.plugtorch;

import static org.plugtorch.spi.Preconditions.checkState;

import java.util.function.Supplier;

/**
 * Whether operations record the autograd graph: PyTorch's grad mode, per thread, on by default.
 *
 * <p>A grad-mode object is a scope: it sets the mode when opened and puts back the previous mode when closed, so
 * scopes nest. The usual way in is {@link Tensor#noGrad()}, the counterpart of {@code with torch.no_grad():}
 * <pre>{@code
 * try (GradMode ignored = Tensor.noGrad()) {
 *     predictions = model.forward(x);          // records no graph, allocates no graph nodes
 * }
 * Tensor y = Tensor.noGrad(() -> model.forward(x));
 * }</pre>
 * Optimizers, module moves, state-dict loading and weight initialisation run in such a scope, as in PyTorch.
 * Like PyTorch's, the mode belongs to the thread: a scope opened on one thread does not affect another, and must
 * be closed on the thread that opened it.
 */
public final class GradMode implements AutoCloseable {
    /** One mutable flag per thread, read on every operation whose input requires grad. */
    private static final ThreadLocal<boolean[]> ENABLED = ThreadLocal.withInitial(() -> new boolean[] {true});

    private final boolean previous;
    private final Thread owner;
    private boolean closed;

    private GradMode(boolean enabled) {
        boolean[] flag = ENABLED.get();
        this.previous = flag[0];
        this.owner = Thread.currentThread();
        flag[0] = enabled;
    }

    /** True when operations on this thread record the graph ({@code torch.is_grad_enabled()}). */
    public static boolean isEnabled() {
        return ENABLED.get()[0];
    }

    /** Sets the mode for this thread until changed again ({@code torch.set_grad_enabled(mode)}). */
    public static void setEnabled(boolean enabled) {
        ENABLED.get()[0] = enabled;
    }

    /** A scope with grad mode off ({@code torch.no_grad()}); close it to restore the previous mode. */
    public static GradMode noGrad() {
        return new GradMode(false);
    }

    /** A scope with grad mode on ({@code torch.enable_grad()}), for instance inside a no-grad scope. */
    public static GradMode enableGrad() {
        return new GradMode(true);
    }

    /** Runs {@code body} with grad mode off and returns its result. */
    public static <T> T noGrad(Supplier<T> body) {
        GradMode scope = noGrad();
        try {
            return body.get();
        } finally {
            scope.close();
        }
    }

    /**
     * True when an operation over {@code input} must record a graph node: some input requires grad and grad mode
     * is on. Tested in that order, so that operations on tensors that do not require grad never read the thread's
     * mode. For writers of {@link Node} subclasses.
     */
    public static boolean isRecording(Tensor input) {
        return input.requiresGrad() && isEnabled();
    }

    public static boolean isRecording(Tensor a, Tensor b) {
        return (a.requiresGrad() || b.requiresGrad()) && isEnabled();
    }

    /** For three inputs, any of which may be null (an optional weight or bias). */
    public static boolean isRecording(Tensor a, Tensor b, Tensor c) {
        return (a.requiresGrad() || (b != null && b.requiresGrad()) || (c != null && c.requiresGrad())) && isEnabled();
    }

    public static boolean isRecording(Tensor... inputs) {
        for (Tensor t : inputs) {
            if (t != null && t.requiresGrad()) {
                return isEnabled();
            }
        }
        return false;
    }

    /** Restores the mode that was in force when this scope was opened. Closing twice does nothing. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        checkState(
                Thread.currentThread() == owner,
                () -> "a grad-mode scope must be closed on the thread that opened it (" + owner.getName() + ")");
        closed = true;
        ENABLED.get()[0] = previous;
    }
}
