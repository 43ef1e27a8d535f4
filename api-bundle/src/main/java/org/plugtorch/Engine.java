package org.plugtorch;

import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Deque;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.PriorityQueue;

/**
 * Runs a backward pass: from the root's node, each node runs once all the nodes that feed it gradients have run
 * (their contributions summed first), later-created nodes first and leaves' accumulators as soon as they are
 * ready, as PyTorch's engine orders them. The whole pass runs with grad mode off: it records no graph of its own
 * (there is no {@code create_graph}).
 */
final class Engine {
    private static final Comparator<Node> LATEST_FIRST = Comparator.comparingLong((Node n) -> n.sequenceNr).reversed();

    private Engine() {
    }

    static void backward(Tensor root, Tensor gradient, boolean retainGraph) {
        Node rootFn = Node.edgeOf(root);
        if (rootFn == null) {
            throw new IllegalArgumentException("element 0 of tensors does not require grad and does not have a grad_fn");
        }
        GradMode scope = GradMode.noGrad();
        try {
            run(rootFn, rootGradient(root, gradient), retainGraph);
        } finally {
            scope.close();
        }
    }

    /** PyTorch's {@code _make_grads}: ones for a one-element root, else the given gradient, of the root's shape. */
    private static Tensor rootGradient(Tensor root, Tensor gradient) {
        if (gradient == null) {
            if (root.numel() != 1) {
                throw new IllegalArgumentException("grad can be implicitly created only for scalar outputs");
            }
            return Tensor.ones(root.shape, root.dtype(), root.device());
        }
        if (!Arrays.equals(gradient.shape, root.shape)) {
            throw new IllegalArgumentException("Mismatch in shape: grad_output[0] has a shape of "
                    + Shapes.torchSize(gradient.shape) + " and output[0] has a shape of " + Shapes.torchSize(root.shape) + ".");
        }
        if (!gradient.device().equals(root.device())) {
            throw new IllegalArgumentException("invalid gradient at index 0 - expected device " + root.device()
                    + " but got " + gradient.device());
        }
        return gradient.dtype() == root.dtype() ? gradient : Ops.cast(gradient, root.dtype());
    }

    private static void run(Node root, Tensor rootGrad, boolean retainGraph) {
        Map<Node, Integer> pending = dependencies(root);
        Map<Node, Tensor> buffers = new IdentityHashMap<>();
        buffers.put(root, rootGrad);
        PriorityQueue<Node> ready = new PriorityQueue<>(LATEST_FIRST);
        ready.add(root);
        while (!ready.isEmpty()) {
            Node fn = ready.poll();
            Tensor grad = buffers.remove(fn);
            // a node whose every incoming gradient was null passes nothing on, but its successors still wait for it
            Tensor[] grads = grad == null ? null : fn.run(grad);
            if (!retainGraph) {
                fn.release();
            }
            for (int i = 0; i < fn.next.length; i++) {
                Node target = fn.next[i];
                if (target == null) {
                    continue;
                }
                if (grads != null && grads[i] != null) {
                    Tensor g = fn.conform(i, grads[i]);
                    buffers.merge(target, g, Tensor::add);
                }
                if (pending.merge(target, -1, Integer::sum) == 0) {
                    ready.add(target);
                }
            }
        }
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
            for (Node next : fn.next) {
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
