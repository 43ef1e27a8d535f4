package org.plugtorch;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.plugtorch.nn.Functional;
import org.plugtorch.tck.ReferenceDevices;

/*
 * Grad-mode scopes are the subject of several tests here: they are written as users write them, in
 * try-with-resources statements whose resource the body does not mention.
 */
/**
 * Autograd's semantics: leaves, propagation, accumulation, grad mode, in-place rules, saved-tensor versions, and
 * PyTorch's error texts and printed forms (recorded by {@code fixtures/training/autograd_values.py}). The values of
 * every operation's gradient are checked by the autograd kit ({@code AutogradTck}).
 */
@SuppressWarnings("try")
class AutogradTest {
    private static final Fixtures PYTORCH = Fixtures.load("/fixtures/training/autograd_values.txt");

    @BeforeAll
    static void devices() {
        ReferenceDevices.install();
    }

    private static String error(Executable call) {
        return assertThrows(RuntimeException.class, call).getMessage();
    }

    private static Tensor leaf(float... values) {
        return Tensor.of(values).requiresGrad_(true);
    }

    /** PyTorch's text without its last sentence, a hint about a Python debugging mode that has no counterpart here. */
    private static String withoutAnomalyHint(String text) {
        return text.substring(0, text.indexOf(" Hint: enable anomaly detection"));
    }

    // ---- leaves, propagation, backward ----

    @Test
    void resultsOfRecordedOperationsAreNonLeavesThatRequireGrad() {
        Tensor w = leaf(1, 2);
        Tensor c = Tensor.of(3f, 4f);
        assertTrue(w.isLeaf());
        assertTrue(w.requiresGrad());
        assertNull(w.gradFn());
        Tensor y = w.mul(c);
        assertFalse(y.isLeaf());
        assertTrue(y.requiresGrad());
        assertEquals("MulBackward0", y.gradFn().name());
        Tensor plain = c.mul(c);
        assertTrue(plain.isLeaf());
        assertFalse(plain.requiresGrad());
        assertNull(plain.gradFn());
    }

    @Test
    void nextFunctionsLeadToAccumulatorsOrToNothing() {
        Tensor w = Tensor.ones(2).requiresGrad_(true);
        List<String> names = new ArrayList<>();
        for (Node n : w.mul(Tensor.ones(2)).gradFn().nextFunctions()) {
            names.add(n == null ? "None" : "'" + n.name() + "'");
        }
        assertEquals(PYTORCH.text("next.mul_leaf_and_constant"), names.toString());
        List<String> chain = new ArrayList<>();
        for (Node n : w.mul(2.0).add(w.exp()).gradFn().nextFunctions()) {
            chain.add("'" + n.name() + "'");
        }
        assertEquals(PYTORCH.text("next.add_chain"), chain.toString());
        Node accumulator = w.mul(2.0).gradFn().nextFunctions().get(0);
        assertSame(accumulator, w.add(1.0).gradFn().nextFunctions().get(0), "one accumulator per leaf");
    }

    @Test
    void resultsPrintTheirNodeAndLeavesTheirFlag() {
        assertEquals(PYTORCH.text("repr.sum"), leaf(1.5f, 2f).mul(2.0).sum().toString());
        assertEquals(PYTORCH.text("repr.leaf"), leaf(1.5f, 2f).toString());
        Tensor d = Tensor.of(1.5, 2.0).requiresGrad_(true);
        assertEquals(PYTORCH.text("repr.mul_double"), d.mul(2.0).toString());
    }

    @Test
    void backwardFromAScalarFillsTheLeavesGradients() {
        Tensor w = leaf(1, 2, 3);
        Tensor x = Tensor.of(4f, 5f, 6f);
        w.mul(x).sum().backward();
        assertArrayEquals(new float[] {4, 5, 6}, w.grad().toFloatArray());
        assertNull(x.grad());
        assertTrue(w.grad().isLeaf());
        assertFalse(w.grad().requiresGrad());
    }

    @Test
    void gradientsAccumulateInPlaceAcrossBackwardPasses() {
        Tensor w = leaf(1, 2);
        w.mul(3.0).sum().backward();
        Tensor first = w.grad();
        w.mul(w).sum().backward();
        assertSame(first, w.grad());
        assertArrayEquals(new float[] {5, 7}, w.grad().toFloatArray());
    }

    @Test
    void aLeafUsedTwiceGetsTheSumOfBothPaths() {
        Tensor w = leaf(2, -1);
        w.mul(w).add(w.mul(3.0)).sum().backward();
        assertArrayEquals(new float[] {7, 1}, w.grad().toFloatArray());
    }

    @Test
    void backwardWithAnExplicitGradient() {
        Tensor w = leaf(1, 2, 3);
        w.mul(2.0).backward(Tensor.of(1f, 0.5f, -1f));
        assertArrayEquals(new float[] {2, 1, -2}, w.grad().toFloatArray());
        assertEquals(
                PYTORCH.text("error.gradient_shape"), error(() -> w.mul(2.0).backward(Tensor.ones(2))));
        assertEquals(
                "invalid gradient at index 0 - expected device cpu but got fake:0",
                error(() -> w.mul(2.0).backward(Tensor.ones(3).to(ReferenceDevices.FAKE))));
    }

    @Test
    void aLeafCanBeTheRootOfBackward() {
        Tensor w = Tensor.scalar(2.0).requiresGrad_(true);
        w.backward();
        assertEquals(1.0, w.grad().item());
    }

    @Test
    void pyTorchErrorsForBackwardMisuse() {
        assertEquals(
                PYTORCH.text("error.non_scalar"),
                error(() -> Tensor.ones(3).requiresGrad_(true).mul(2.0).backward()));
        assertEquals(
                PYTORCH.text("error.no_grad_fn"),
                error(() -> Tensor.ones(3).sum().backward()));
        assertEquals(
                PYTORCH.text("error.requires_grad_non_leaf"),
                error(() -> Tensor.ones(3).requiresGrad_(true).mul(2.0).requiresGrad_(false)));
        assertEquals(
                PYTORCH.text("error.requires_grad_int"),
                error(() -> Tensor.of(1L, 2L).requiresGrad_(true)));
        assertEquals(
                PYTORCH.text("error.retain_grad"), error(() -> Tensor.ones(2).retainGrad()));
        assertEquals(PYTORCH.text("error.gelu_long"), error(() -> Functional.gelu(Tensor.of(1L, 2L))));
        assertEquals(PYTORCH.text("error.silu_long"), error(() -> Functional.silu(Tensor.of(1L, 2L))));
        assertEquals(PYTORCH.text("error.leaky_relu_long"), error(() -> Functional.leakyRelu(Tensor.of(1L, 2L))));
        assertEquals(PYTORCH.text("error.gelu_approximate"), error(() -> Functional.gelu(Tensor.ones(2), "exact")));
    }

    @Test
    void theGraphIsFreedAfterBackwardUnlessRetained() {
        Tensor w = Tensor.ones(3).requiresGrad_(true);
        Tensor y = w.exp().sum();
        y.backward();
        assertEquals(PYTORCH.text("error.backward_twice"), error(y::backward));
        Tensor retained = w.exp().sum();
        w.setGrad(null);
        retained.backward(null, true);
        retained.backward();
        assertEquals(2 * Math.E, w.grad().get(0).item(), 1e-6);
    }

    @Test
    void aGraphWithoutSavedTensorsCanRunTwice() {
        Tensor w = Tensor.ones(3).requiresGrad_(true);
        Tensor y = w.add(1.0).sum();
        y.backward();
        y.backward();
        assertArrayEquals(new float[] {2, 2, 2}, w.grad().toFloatArray());
    }

    @Test
    void retainGradKeepsAnIntermediateGradient() {
        Tensor w = leaf(1, 2);
        Tensor h = w.mul(3.0);
        h.retainGrad();
        assertTrue(h.retainsGrad());
        h.mul(h).sum().backward();
        assertArrayEquals(new float[] {6, 12}, h.grad().toFloatArray());
        assertArrayEquals(new float[] {18, 36}, w.grad().toFloatArray());
        Tensor notRetained = w.mul(2.0);
        notRetained.sum().backward();
        assertNull(notRetained.grad());
    }

    @Test
    void aFrozenLeafGetsNoGradient() {
        Tensor frozen = leaf(1, 2).requiresGrad_(false);
        Tensor w = leaf(3, 4);
        frozen.mul(w).sum().backward();
        assertNull(frozen.grad());
        assertArrayEquals(new float[] {1, 2}, w.grad().toFloatArray());
    }

    // ---- detach ----

    @Test
    void detachSharesStorageAndLeavesTheGraph() {
        Tensor w = leaf(1, 2);
        Tensor y = w.mul(2.0);
        Tensor d = y.detach();
        assertTrue(d.isLeaf());
        assertFalse(d.requiresGrad());
        assertTrue(d.sharesStorageWith(y));
        y.detach_();
        assertTrue(y.isLeaf());
        assertFalse(y.requiresGrad());
        assertEquals(
                "Can't detach views in-place. Use detach() instead.",
                error(() -> w.mul(2.0).get(0).detach_()));
    }

    // ---- grad mode ----

    @Test
    void noGradRecordsNothingAndRestoresTheModeWhenClosed() {
        Tensor w = leaf(1, 2);
        assertTrue(GradMode.isEnabled());
        try (GradMode outer = Tensor.noGrad()) {
            assertFalse(GradMode.isEnabled());
            Tensor y = w.mul(2.0);
            assertNull(y.gradFn());
            assertFalse(y.requiresGrad());
            try (GradMode inner = GradMode.enableGrad()) {
                assertTrue(w.mul(2.0).requiresGrad());
            }
            assertFalse(GradMode.isEnabled());
            try (GradMode nested = Tensor.noGrad()) {
                assertFalse(GradMode.isEnabled());
            }
            assertFalse(GradMode.isEnabled());
        }
        assertTrue(GradMode.isEnabled());
        assertNull(Tensor.noGrad(() -> w.exp()).gradFn());
        assertNotNull(w.exp().gradFn());
    }

    @Test
    void gradModeBelongsToTheThread() throws InterruptedException {
        Tensor w = leaf(1, 2);
        AtomicReference<Node> other = new AtomicReference<>();
        try (GradMode ignored = Tensor.noGrad()) {
            Thread t = new Thread(() -> other.set(w.mul(2.0).gradFn()));
            t.start();
            t.join();
        }
        assertEquals("MulBackward0", other.get().name());
        GradMode scope = Tensor.noGrad();
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        Thread closer = new Thread(() -> thrown.set(assertThrows(IllegalStateException.class, scope::close)));
        closer.start();
        closer.join();
        scope.close();
        assertTrue(
                thrown.get().getMessage().startsWith("a grad-mode scope must be closed on the thread that opened it"));
        assertTrue(GradMode.isEnabled());
    }

    @Test
    void operationsThatNeedNoGradientCreateNoNodes() {
        Tensor a = Tensor.of(1f, 2f, 3f);
        Tensor m = Tensor.ones(3, 3);
        long before = Node.created();
        Tensor y = a.mul(a)
                .add(1.0)
                .exp()
                .view(3, 1)
                .t()
                .matmul(m)
                .relu()
                .sum(new int[] {1}, true)
                .softmax(0);
        assertNull(y.mean().gradFn());
        assertEquals(before, Node.created(), "no input requires grad");
        Tensor w = leaf(1, 2, 3);
        try (GradMode ignored = Tensor.noGrad()) {
            w.mul(a).add(1.0).exp().view(3, 1).t().matmul(m).sum();
            w.add_(1.0);
        }
        assertEquals(before, Node.created(), "grad mode is off");
    }

    // ---- in place ----

    @Test
    void aLeafThatRequiresGradCannotBeModifiedInPlace() {
        Tensor w = Tensor.ones(3).requiresGrad_(true);
        String leaf = PYTORCH.text("error.leaf_inplace");
        assertEquals(leaf, error(() -> w.add_(1.0)));
        assertEquals(leaf, error(() -> w.copy_(Tensor.zeros(3))));
        assertEquals(leaf, error(() -> w.fill_(1.0)));
        assertEquals(leaf, error(w::zero_));
        assertEquals(leaf, error(() -> w.uniform_(0, 1)));
        assertEquals(
                PYTORCH.text("error.view_of_leaf_inplace"),
                error(() -> w.slice(0, 0, 2).add_(1.0)));
        assertEquals(
                PYTORCH.text("error.no_grad_view"),
                error(() -> Tensor.noGrad(() -> w.slice(0, 0, 2)).add_(1.0)));
        try (GradMode ignored = Tensor.noGrad()) {
            w.add_(1.0);
        }
        assertArrayEquals(new float[] {2, 2, 2}, w.toFloatArray());
        assertEquals(1, w.version());
    }

    @Test
    void writingIntoAnExpandedTensorIsRefused() {
        assertEquals(
                PYTORCH.text("error.overlap"),
                error(() -> Tensor.zeros(3).expand(2, 3).add_(1.0)));
    }

    @Test
    void inPlaceOperationsOnResultsRecordTheirOwnNode() {
        Tensor w = leaf(1, 2);
        Tensor z = w.mul(3.0);
        z.add_(Tensor.of(1f, 1f));
        assertEquals("AddBackward0", z.gradFn().name());
        z.mul_(2.0);
        assertEquals("MulBackward0", z.gradFn().name());
        z.sum().backward();
        assertArrayEquals(new float[] {6, 6}, w.grad().toFloatArray());
        Tensor buffer = Tensor.zeros(2);
        buffer.copy_(w);
        assertFalse(buffer.isLeaf(), "a copy of a tensor that requires grad carries its history");
        assertEquals("CopyBackwards", buffer.gradFn().name());
    }

    @Test
    void aSavedTensorModifiedInPlaceIsAnErrorNotAWrongGradient() {
        Tensor w = Tensor.ones(3).requiresGrad_(true);
        Tensor y = w.exp();
        Tensor s = y.sum();
        y.mul_(2.0);
        assertEquals(withoutAnomalyHint(PYTORCH.text("error.modified_output")), error(s::backward));
        Tensor a = Tensor.ones(3).requiresGrad_(true);
        Tensor b = a.pow(2.0);
        try (GradMode ignored = Tensor.noGrad()) {
            a.add_(1.0);
        }
        assertEquals(
                withoutAnomalyHint(PYTORCH.text("error.modified_leaf")),
                error(() -> b.sum().backward()));
    }

    // ---- devices ----

    @Test
    void gradientsLandOnTheLeafsDeviceAndMovesHaveBackward() {
        Tensor w = Tensor.of(1f, 2f).to(ReferenceDevices.FAKE).requiresGrad_(true);
        w.mul(w).sum().backward();
        assertEquals(ReferenceDevices.FAKE, w.grad().device());
        assertArrayEquals(new float[] {2, 4}, w.grad().toFloatArray());
        Tensor c = leaf(1, 2);
        Tensor moved = c.to(ReferenceDevices.FAKE);
        assertEquals("ToCopyBackward0", moved.gradFn().name());
        moved.mul(3.0).to(DType.FLOAT64).sum().backward();
        assertEquals(Device.CPU, c.grad().device());
        assertEquals(DType.FLOAT32, c.grad().dtype());
        assertArrayEquals(new float[] {3, 3}, c.grad().toFloatArray());
    }

    @Test
    void aLeafMovedAfterTheForwardPassGetsItsGradientWhereItIsNow() {
        Tensor w = leaf(1, 2);
        Tensor loss = w.mul(w).sum();
        w.setData(w.detach().to(ReferenceDevices.FAKE));
        loss.backward();
        assertEquals(ReferenceDevices.FAKE, w.grad().device());
        assertArrayEquals(new float[] {2, 4}, w.grad().toFloatArray());
    }

    /** As PyTorch 1.13: a view taken before its base gained a history through an in-place op reaches that history. */
    @Test
    void aViewOfATensorThatLaterGainsAHistoryRequiresGradThroughIt() {
        Tensor x = Tensor.ones(2, 3);
        Tensor v = x.select(0, 0);
        Tensor w = Tensor.ones(2, 3).requiresGrad_(true);
        assertFalse(v.requiresGrad());
        x.mul_(w);
        assertEquals("MulBackward0", x.gradFn().name());
        assertTrue(v.requiresGrad());
        assertEquals("AsStridedBackward0", v.gradFn().name());
        v.sum().backward();
        assertArrayEquals(new float[] {1, 1, 1, 0, 0, 0}, w.grad().reshape(6).toFloatArray());
    }
}
