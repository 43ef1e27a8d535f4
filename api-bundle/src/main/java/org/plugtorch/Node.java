package org.plugtorch;

import java.lang.ref.WeakReference;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A step of the autograd graph: what an operation recorded so that its gradient can be computed later
 * ({@code tensor.grad_fn} in PyTorch). An operation's result holds its node ({@link Tensor#gradFn()}); the node
 * holds, per input, the node that gradients flow on to ({@link #nextFunctions()}): the input's own node, the
 * accumulator of a leaf that requires grad ({@code AccumulateGrad}), or null for an input that does not require
 * grad. Nodes carry PyTorch's names ({@code AddBackward0}, {@code MmBackward0}, ...), which is what a result prints
 * as {@code grad_fn=<AddBackward0>}.
 *
 * <p><b>Writing a differentiable function</b> (PyTorch's {@code torch.autograd.Function}): compute the result
 * with grad mode off, then, when {@link GradMode#isRecording} says so, attach a node whose {@link #backward} maps
 * the result's gradient to one gradient per input:
 * <pre>{@code
 * Tensor out = GradMode.noGrad(() -> x.mul(x));
 * if (GradMode.isRecording(x)) {
 *     out = new Node(x) {
 *         final SavedTensor saved = save(x);
 *         protected Tensor[] backward(Tensor grad) { return new Tensor[] {grad.mul(saved.get()).mul(2.0)}; }
 *     }.attach(out);
 * }
 * }</pre>
 * The engine then reduces each returned gradient to its input's shape when the input was broadcast, and converts
 * it to the input's dtype, as PyTorch does. Tensors needed by {@code backward} are kept with {@link #save}, which
 * detects a later in-place change and frees them after a backward pass that does not retain the graph.
 */
public abstract class Node {
    private static final AtomicLong SEQUENCE = new AtomicLong();

    static final String BACKWARD_TWICE = "Trying to backward through the graph a second time (or directly access "
            + "saved tensors after they have already been freed). Saved intermediate values of the graph are freed "
            + "when you call .backward() or autograd.grad(). Specify retain_graph=True if you need to backward "
            + "through the graph a second time or if you need to access saved tensors after calling backward.";

    /** Creation order: later nodes run first, as in PyTorch's engine. */
    final long sequenceNr;
    final Node[] next;
    final long[][] inputShapes;
    final DType[] inputDTypes;
    private List<SavedTensor> saved;
    /** The non-leaf tensor whose {@code retainGrad()} asked for this node's incoming gradient. */
    WeakReference<Tensor> retainer;

    /**
     * A node over the differentiable inputs of an operation, in order; null entries and inputs that do not
     * require grad get no gradient.
     */
    protected Node(Tensor... inputs) {
        this.sequenceNr = SEQUENCE.getAndIncrement();
        this.next = new Node[inputs.length];
        this.inputShapes = new long[inputs.length][];
        this.inputDTypes = new DType[inputs.length];
        for (int i = 0; i < inputs.length; i++) {
            Tensor t = inputs[i];
            if (t != null) {
                next[i] = edgeOf(t);
                inputShapes[i] = t.shape;
                inputDTypes[i] = t.dtype();
            }
        }
    }

    /** A node whose edges are already known (a node that wraps another). */
    Node(Node[] next, long[][] inputShapes, DType[] inputDTypes) {
        this.sequenceNr = SEQUENCE.getAndIncrement();
        this.next = next;
        this.inputShapes = inputShapes;
        this.inputDTypes = inputDTypes;
    }

    /** A node without inputs that runs as soon as it is ready (the leaves' accumulators). */
    Node(long sequenceNr) {
        this.sequenceNr = sequenceNr;
        this.next = new Node[0];
        this.inputShapes = new long[0][];
        this.inputDTypes = new DType[0];
    }

    /** Where the gradient of {@code t} goes: its node, its accumulator when it is a leaf that requires grad, or null. */
    static Node edgeOf(Tensor t) {
        Node fn = t.gradFn();
        if (fn != null) {
            return fn;
        }
        return t.requiresGradFlag() ? t.accumulator() : null;
    }

    /** How many nodes have been created, for tests that check that an operation recorded nothing. */
    static long created() {
        return SEQUENCE.get();
    }

    /** PyTorch's name for this kind of node; by default the class's simple name. */
    public String name() {
        return getClass().getSimpleName();
    }

    /** Per input, the node its gradient flows on to, or null (PyTorch's {@code next_functions}). */
    public final List<Node> nextFunctions() {
        return Collections.unmodifiableList(Arrays.asList(next));
    }

    /**
     * The gradients of the inputs given the gradient of the result, one per input in constructor order (null for
     * an input that gets none). Runs with grad mode off.
     */
    protected abstract Tensor[] backward(Tensor grad);

    /**
     * Makes this node the history of {@code output}, the new result of the operation, and returns it. The output
     * must be a tensor the operation created: one without a node that does not require grad.
     */
    public final Tensor attach(Tensor output) {
        if (output.gradFn != null || output.requiresGradFlag()) {
            throw new IllegalArgumentException("a graph node can only be attached to a new result, not to a tensor "
                    + "that requires grad already");
        }
        output.gradFn = this;
        output.base = null;
        return output;
    }

    /** Makes this node the history of a view; the view keeps its base, and is current with the base's version. */
    final Tensor attachView(Tensor view) {
        view.gradFn = this;
        view.viewVersion = view.storage.version;
        return view;
    }

    /** Keeps an input for {@link #backward}, to be read with {@link SavedTensor#get}. */
    protected final SavedTensor save(Tensor t) {
        Node producer = t.gradFn();
        return remember(new SavedTensor(t, producer == null ? null : producer.name()));
    }

    /** Keeps this node's own result for {@link #backward} (call it before {@link #attach}). */
    protected final SavedTensor saveOutput(Tensor result) {
        return remember(new SavedTensor(result, name()));
    }

    private SavedTensor remember(SavedTensor s) {
        if (saved == null) {
            saved = new ArrayList<>(2);
        }
        saved.add(s);
        return s;
    }

    /** Frees the saved tensors once a backward pass that does not retain the graph has run this node. */
    void release() {
        if (saved != null) {
            for (SavedTensor s : saved) {
                s.data = null;
            }
        }
    }

    /** Runs {@link #backward}, first handing the incoming gradient to a tensor that retains it. */
    final Tensor[] run(Tensor grad) {
        Tensor keeper = retainer == null ? null : retainer.get();
        if (keeper != null && keeper.gradFn == this) {
            Tensor kept = keeper.grad();
            keeper.setGrad(kept == null ? Ops.contiguous(grad) : kept.add(grad));
        }
        Tensor[] out = backward(grad);
        if (out == null || out.length != next.length) {
            throw new IllegalStateException("function " + name() + " returned an incorrect number of gradients "
                    + "(expected " + next.length + ", got " + (out == null ? 0 : out.length) + ")");
        }
        return out;
    }

    /**
     * PyTorch's {@code validate_outputs}: a gradient of a broadcast input is summed back to the input's shape, and
     * converted to the input's dtype.
     */
    final Tensor conform(int input, Tensor grad) {
        long[] shape = inputShapes[input];
        Tensor g = grad;
        if (!Arrays.equals(g.shape, shape)) {
            if (!Shapes.expandableTo(shape, g.shape)) {
                throw new IllegalStateException("Function " + name() + " returned an invalid gradient at index "
                        + input + " - got " + Shapes.list(g.shape) + " but expected shape compatible with "
                        + Shapes.list(shape));
            }
            g = Gradients.sumTo(g, shape);
        }
        return g.dtype() == inputDTypes[input] ? g : Ops.cast(g, inputDTypes[input]);
    }

    /** The node's name, as {@code grad_fn=<...>} shows it. */
    @Override
    public String toString() {
        return name();
    }

    /** PyTorch's legacy type name in autograd errors: {@code torch.FloatTensor}, {@code torch.cuda.FloatTensor}. */
    static String typeName(Tensor t) {
        Device d = t.device();
        return "torch." + (d.isCpu() ? "" : d.type() + ".") + t.dtype().legacyTypeName();
    }

    /**
     * A tensor kept for the backward pass: a view of the same storage, with the storage's version when it was
     * saved, so that an in-place change in between is an error (with PyTorch's message) rather than a wrong
     * gradient.
     */
    public static final class SavedTensor {
        private Tensor data;
        private final int version;
        private final String producer;

        SavedTensor(Tensor t, String producer) {
            this.data = new Tensor(t.storage, t.offset, t.shape, t.strides);
            this.version = t.storage.version;
            this.producer = producer;
        }

        /** The saved tensor; fails when it was modified in place since, or freed by an earlier backward pass. */
        public Tensor get() {
            Tensor d = data;
            if (d == null) {
                throw new IllegalStateException(BACKWARD_TWICE);
            }
            int now = d.storage.version;
            if (now != version) {
                throw new IllegalStateException("one of the variables needed for gradient computation has been "
                        + "modified by an inplace operation: [" + typeName(d) + " " + Shapes.list(d.shape) + "]"
                        + (producer == null ? "" : ", which is output 0 of " + producer + ",") + " is at version "
                        + now + "; expected version " + version + " instead.");
            }
            return d;
        }
    }
}
