package org.plugtorch;

import static org.plugtorch.spi.Preconditions.checkState;

import java.lang.ref.WeakReference;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.plugtorch.internal.autograd.Autograd;
import org.plugtorch.internal.autograd.Gradients;
import org.plugtorch.internal.runtime.Ops;
import org.plugtorch.internal.runtime.Shapes;
import org.plugtorch.internal.runtime.Storage;
import org.plugtorch.internal.runtime.TensorImpl;
import org.plugtorch.internal.runtime.Tensors;

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

    private final long sequenceNr;
    private final Node[] next;
    /** The read-only view of {@link #next}, made on first call (nodes are made on every recorded op). */
    private List<Node> nextFunctions;

    private final long[][] inputShapes;
    private final DType[] inputDTypes;
    private List<SavedTensor> saved;
    /** The non-leaf tensor whose {@code retainGrad()} asked for this node's incoming gradient. */
    volatile WeakReference<Tensor> retainer;

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
                next[i] = Autograd.edgeOf(t);
                inputShapes[i] = Tensors.impl(t).shape;
                inputDTypes[i] = t.dtype();
            }
        }
    }

    /** How many nodes have been created, for tests that check that an operation recorded nothing. */
    static long created() {
        return SEQUENCE.get();
    }

    /** PyTorch's name for this kind of node; by default the class's simple name. */
    public String name() {
        return getClass().getSimpleName();
    }

    /**
     * The node's place in creation order (PyTorch's {@code _sequence_nr()}): the engine runs later nodes first.
     */
    public final long sequenceNr() {
        return sequenceNr;
    }

    /** Per input, the node its gradient flows on to, or null (PyTorch's {@code next_functions}). */
    public final List<Node> nextFunctions() {
        List<Node> view = nextFunctions;
        if (view == null) {
            view = Collections.unmodifiableList(Arrays.asList(next));
            nextFunctions = view;
        }
        return view;
    }

    /**
     * True when input {@code i} leads somewhere, so that {@link #backward} must compute its gradient (PyTorch's
     * {@code ctx.needs_input_grad[i]}); a gradient returned for an input that needs none is ignored.
     */
    protected final boolean needsInputGrad(int i) {
        return next[i] != null;
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
        return Autograd.attach(this, output);
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

    /**
     * Frees the saved tensors (PyTorch's {@code release_variables}); the engine calls it once a backward pass that
     * does not retain the graph has run this node. A node that wraps another releases that one too.
     */
    public void releaseVariables() {
        if (saved != null) {
            for (SavedTensor s : saved) {
                s.data = null;
            }
        }
    }

    /**
     * Runs the node on the gradient of its result (calling a {@code grad_fn} in PyTorch): first hands the gradient
     * to a tensor that retains it, then runs {@link #backward}, and returns per input the gradient conformed to
     * that input (PyTorch's {@code validate_outputs}: summed back to the input's shape when the input was
     * broadcast, converted to its dtype), or null where the input needs none. Runs in the caller's grad mode.
     */
    public final Tensor[] apply(Tensor grad) {
        WeakReference<Tensor> r = retainer;
        Tensor keeper = r == null ? null : r.get();
        if (keeper != null && Autograd.rawGradFn(keeper) == this) {
            Tensor kept = keeper.grad();
            keeper.setGrad(kept == null ? Ops.contiguous(grad) : kept.add(grad));
        }
        Tensor[] out = backward(grad);
        checkState(
                out != null && out.length == next.length,
                () -> "function " + name() + " returned an incorrect number of gradients " + "(expected " + next.length
                        + ", got " + (out == null ? 0 : out.length) + ")");
        for (int i = 0; i < out.length; i++) {
            out[i] = next[i] == null || out[i] == null ? null : conform(i, out[i]);
        }
        return out;
    }

    private Tensor conform(int input, Tensor grad) {
        long[] shape = inputShapes[input];
        Tensor g = grad;
        long[] gShape = Tensors.impl(g).shape;
        if (!Arrays.equals(gShape, shape)) {
            checkState(
                    Shapes.expandableTo(shape, gShape),
                    () -> "Function " + name() + " returned an invalid gradient at index "
                            + input + " - got " + Shapes.list(gShape) + " but expected shape compatible with "
                            + Shapes.list(shape));
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
            TensorImpl i = Tensors.impl(t);
            this.data = Tensors.create(i.storage, i.offset, i.shape, i.strides);
            this.version = i.storage.version;
            this.producer = producer;
        }

        /** The saved tensor; fails when it was modified in place since, or freed by an earlier backward pass. */
        public Tensor get() {
            Tensor d = data;
            checkState(d != null, BACKWARD_TWICE);
            Storage s = Tensors.impl(d).storage;
            int now = s.version;
            checkState(
                    now == version,
                    () -> "one of the variables needed for gradient computation has been "
                            + "modified by an inplace operation: [" + typeName(d) + " " + Shapes.list(d.shape()) + "]"
                            + (producer == null ? "" : ", which is output 0 of " + producer + ",") + " is at version "
                            + now + "; expected version " + version + " instead.");
            return d;
        }
    }
}
