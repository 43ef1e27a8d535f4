package org.plugtorch.internal.autograd;

import static org.plugtorch.internal.runtime.Tensors.impl;
import static org.plugtorch.spi.Preconditions.checkArgument;

import java.security.CodeSource;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.Deque;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.concurrent.locks.Lock;
import org.plugtorch.GradMode;
import org.plugtorch.Node;
import org.plugtorch.Tensor;
import org.plugtorch.internal.runtime.Ops;
import org.plugtorch.internal.runtime.Registry;
import org.plugtorch.internal.runtime.Shapes;
import org.plugtorch.internal.runtime.Storage;

/**
 * Runs a backward pass: from the root's node, each node runs once all the nodes that feed it gradients have run
 * (their contributions summed first), later-created nodes first and leaves' accumulators as soon as they are
 * ready, as PyTorch's engine orders them. The whole pass runs with grad mode off: it records no graph of its own
 * (there is no {@code create_graph}).
 */
public final class Engine {
    /** Accumulators first (PyTorch gives them the largest sequence number), then the latest-created nodes. */
    private static final Comparator<Node> LATEST_FIRST = Comparator.comparingLong(
                    (Node n) -> n instanceof AccumulateGrad ? Long.MAX_VALUE : n.sequenceNr())
            .reversed();

    private Engine() {}

    public static void backward(Tensor root, Tensor gradient, boolean retainGraph) {
        Node rootFn = Autograd.edgeOf(root);
        checkArgument(rootFn != null, "element 0 of tensors does not require grad and does not have a grad_fn");
        GradMode scope = GradMode.noGrad();
        // one hold of the gate for the pass: devices read from tensors (the root's, a leaf's) stay served until used
        Lock gate = Registry.operations();
        gate.lock();
        try {
            run(rootFn, rootGradient(root, gradient), retainGraph);
        } finally {
            gate.unlock();
            scope.close();
        }
    }

    /**
     * PyTorch's {@code _make_grads}: ones for a one-element root, else the given gradient, of the root's shape. The
     * ones are made like the root inside one operation, so a backend leaving meanwhile cannot strand them.
     */
    private static Tensor rootGradient(Tensor root, Tensor gradient) {
        long[] shape = impl(root).shape;
        if (gradient == null) {
            checkArgument(root.numel() == 1, "grad can be implicitly created only for scalar outputs");
            return Ops.fullLike(shape, 1, root);
        }
        long[] given = impl(gradient).shape;
        checkArgument(
                Arrays.equals(given, shape),
                () -> "Mismatch in shape: grad_output[0] has a shape of " + Shapes.torchSize(given)
                        + " and output[0] has a shape of " + Shapes.torchSize(shape) + ".");
        // the two devices are compared inside the gate, where no backend can leave between the check and the cast
        return Ops.atomically(() -> {
            checkArgument(
                    gradient.device().equals(root.device()),
                    () -> "invalid gradient at index 0 - expected device " + root.device() + " but got "
                            + gradient.device());
            return gradient.dtype() == root.dtype() ? gradient : Ops.cast(gradient, root.dtype());
        });
    }

    /**
     * Runs the pass. Gradients the pass itself made (storages numbered from {@code passStart} on) and handed to one
     * consumer only may become a leaf's gradient without a copy; {@code shared} collects the storages that lose that
     * right: handed to more than one consumer by a node, seen or made by a node written outside this library (it may
     * keep a reference), or already given to a leaf.
     */
    private static void run(Node root, Tensor rootGrad, boolean retainGraph) {
        long passStart = Storage.nextSerial();
        Set<Storage> shared = Collections.newSetFromMap(new IdentityHashMap<>());
        Map<Node, Integer> pending = dependencies(root);
        Map<Node, Tensor> buffers = new IdentityHashMap<>();
        buffers.put(root, rootGrad);
        PriorityQueue<Node> ready = new PriorityQueue<>(LATEST_FIRST);
        ready.add(root);
        while (!ready.isEmpty()) {
            Node fn = ready.poll();
            Tensor grad = buffers.remove(fn);
            // a node whose every incoming gradient was null passes nothing on, but its successors still wait for it
            Tensor[] grads = null;
            if (grad != null) {
                if (fn instanceof AccumulateGrad) {
                    ((AccumulateGrad) fn).accumulate(grad, ownedByPass(grad, passStart, shared));
                    shared.add(impl(grad).storage);
                    grads = new Tensor[0];
                } else {
                    boolean ours = builtIn(fn);
                    if (!ours) {
                        shared.add(impl(grad).storage);
                    }
                    grads = fn.apply(grad);
                    markShared(grads, ours, shared);
                }
            }
            if (!retainGraph) {
                fn.releaseVariables();
            }
            List<Node> next = fn.nextFunctions();
            for (int i = 0; i < next.size(); i++) {
                Node target = next.get(i);
                if (target == null) {
                    continue;
                }
                if (grads != null && grads[i] != null) {
                    buffers.merge(target, grads[i], Tensor::add);
                }
                if (pending.merge(target, -1, Integer::sum) == 0) {
                    ready.add(target);
                }
            }
        }
    }

    /**
     * Marks as shared the storages of the gradients a node returned that reach more than one input, or any input
     * when the node is not this library's.
     */
    private static void markShared(Tensor[] grads, boolean builtIn, Set<Storage> shared) {
        for (int i = 0; i < grads.length; i++) {
            if (grads[i] == null) {
                continue;
            }
            Storage s = impl(grads[i]).storage;
            boolean again = !builtIn;
            for (int j = 0; j < i && !again; j++) {
                again = grads[j] != null && impl(grads[j]).storage == s;
            }
            if (again) {
                shared.add(s);
            }
        }
    }

    /**
     * True when {@code g} is a gradient this pass made and handed to no one else: numbered after the pass began and
     * never shared. Whether its layout lets the leaf keep it is the leaf's check ({@link AccumulateGrad}).
     */
    private static boolean ownedByPass(Tensor g, long passStart, Set<Storage> shared) {
        Storage s = impl(g).storage;
        return s.serial >= passStart && !shared.contains(s);
    }

    /**
     * True for the nodes of this library, which neither keep the gradients they receive and return nor modify them;
     * a user's node (PyTorch's custom {@code Function}) may do either.
     */
    private static boolean builtIn(Node fn) {
        return BUILT_IN.get(fn.getClass());
    }

    /** Per node class: loaded with {@link Node} from the same jar or bundle (a user's class in our package is not). */
    private static final ClassValue<Boolean> BUILT_IN = new ClassValue<>() {
        @Override
        protected Boolean computeValue(Class<?> c) {
            return c.getClassLoader() == Node.class.getClassLoader()
                    && c.getName().startsWith("org.plugtorch.")
                    && Objects.equals(location(c), location(Node.class));
        }
    };

    /** As text: {@code URL.equals} may resolve host names. */
    private static String location(Class<?> c) {
        CodeSource source = c.getProtectionDomain().getCodeSource();
        return source == null || source.getLocation() == null
                ? null
                : source.getLocation().toExternalForm();
    }

    /** For every node reachable from the root, how many edges lead to it. */
    private static Map<Node, Integer> dependencies(Node root) {
        Map<Node, Integer> count = new IdentityHashMap<>();
        Map<Node, Boolean> seen = new IdentityHashMap<>();
        Deque<Node> stack = new ArrayDeque<>();
        stack.push(root);
        seen.put(root, Boolean.TRUE);
        while (!stack.isEmpty()) {
            Node fn = stack.pop();
            for (Node next : fn.nextFunctions()) {
                if (next == null) {
                    continue;
                }
                count.merge(next, 1, Integer::sum);
                if (seen.put(next, Boolean.TRUE) == null) {
                    stack.push(next);
                }
            }
        }
        return count;
    }
}
