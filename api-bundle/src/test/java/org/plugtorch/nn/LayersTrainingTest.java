package org.plugtorch.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.plugtorch.nn.TrainingFixtures.PYTORCH;
import static org.plugtorch.nn.TrainingFixtures.assertPyTorch;
import static org.plugtorch.nn.TrainingFixtures.pattern;
import static org.plugtorch.nn.TrainingFixtures.pyList;
import static org.plugtorch.nn.TrainingFixtures.tensor;

import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.plugtorch.Generator;
import org.plugtorch.Tensor;
import org.plugtorch.tck.ReferenceDevices;

/** LayerNorm, Dropout, Embedding and PositionalEncoding, against PyTorch's numbers and texts. */
class LayersTrainingTest {

    @BeforeAll
    static void devices() {
        ReferenceDevices.install();
    }

    private static String error(Executable call) {
        return assertThrows(RuntimeException.class, call).getMessage();
    }

    @Test
    void layerNorm() {
        LayerNorm ln = new LayerNorm(3);
        Tensor.noGrad(() -> ln.weight.copy_(Tensor.of(1.2f, 0.7f, -0.5f)));
        Tensor.noGrad(() -> ln.bias.copy_(Tensor.of(0.1f, -0.2f, 0.3f)));
        Tensor x = tensor("bn.x1", 4, 3).requiresGrad_(true);
        Tensor y = ln.forward(x);
        assertEquals("NativeLayerNormBackward0", y.gradFn().name());
        y.mul(pattern(4, 3)).sum().backward();
        assertPyTorch("ln.y", y);
        assertPyTorch("ln.grad.x", x.grad());
        assertPyTorch("ln.grad.weight", ln.weight.grad());
        assertPyTorch("ln.grad.bias", ln.bias.grad());
        LayerNorm ln2 = new LayerNorm(new long[] {3, 4}, 1e-5, false);
        assertPyTorch("ln2.y", ln2.forward(tensor("bn3d.x", 2, 3, 4)));
        assertEquals(PYTORCH.text("ln.repr"), ln.toString());
        assertEquals(PYTORCH.text("ln2.repr"), ln2.toString());
        assertEquals(PYTORCH.text("ln.error.shape"), error(() -> new LayerNorm(3).forward(Tensor.ones(2, 4))));
    }

    @Test
    void dropoutDrawsPyTorchsMaskFromTheGenerator() {
        Generator.seedDefault(3);
        Tensor x = Tensor.arange(1.0, 21.0, 1.0).reshape(4, 5);
        assertPyTorch("dropout.seed3.y", Functional.dropout(x, 0.3, true, null), 0, 0);
        Generator.seedDefault(3);
        Dropout d = new Dropout(0.3);
        Tensor ones = Tensor.ones(4, 5).requiresGrad_(true);
        Tensor y = d.forward(ones);
        y.sum().backward();
        assertPyTorch("dropout.module.y", y, 0, 0);
        assertPyTorch("dropout.module.grad", ones.grad(), 0, 0);
        assertEquals(PYTORCH.fact("dropout.module.grad_fn"), y.gradFn().name());
        assertPyTorch("dropout.after.rand", Tensor.rand(3), 0, 0);
        assertEquals(PYTORCH.text("dropout.repr"), new Dropout().toString());
        assertEquals(PYTORCH.text("dropout.repr.p"), new Dropout(0.25).toString());
        assertEquals(PYTORCH.text("dropout.error.p"), error(() -> new Dropout(1.5)));
    }

    @Test
    void dropoutIsTheIdentityInEvaluationAndZeroAtOne() {
        Dropout d = new Dropout(0.5, new Generator(1));
        Tensor x = Tensor.ones(3, 3);
        d.eval();
        assertSame(x, d.forward(x));
        d.train();
        Tensor kept = d.forward(x);
        for (float v : kept.toFloatArray()) {
            assertTrue(v == 0 || v == 2, "kept elements are scaled by 1 / (1 - p)");
        }
        Tensor w = Tensor.ones(2).requiresGrad_(true);
        Tensor all = new Dropout(1.0).forward(w);
        assertArrayEquals(new float[] {0, 0}, all.toFloatArray());
        assertEquals("MulBackward0", all.gradFn().name());
        Tensor onFake =
                new Dropout(0.5, new Generator(1)).forward(Tensor.ones(3, 3).to(ReferenceDevices.FAKE));
        assertEquals(ReferenceDevices.FAKE, onFake.device());
        assertArrayEquals(
                kept.toFloatArray(), onFake.toFloatArray(), "the same seed gives the same mask on any device");
    }

    @Test
    void embeddingLooksUpRowsAndTrainsThem() {
        Generator.seedDefault(0);
        Embedding emb = new Embedding(6, 3);
        assertPyTorch("emb.seed0.weight", emb.weight, 1e-6, 0);
        Tensor idx = tensor("emb.indices", 2, 3);
        Tensor y = emb.forward(idx);
        assertEquals("EmbeddingBackward0", y.gradFn().name());
        y.mul(pattern(2, 3, 3)).sum().backward();
        assertPyTorch("emb.y", y);
        assertPyTorch("emb.grad.weight", emb.weight.grad());
        Generator.seedDefault(0);
        Embedding padded = new Embedding(6, 3, 2L);
        assertPyTorch("emb.pad.seed0.weight", padded.weight, 1e-6, 0);
        padded.forward(idx).mul(pattern(2, 3, 3)).sum().backward();
        assertPyTorch("emb.pad.grad.weight", padded.weight.grad());
        assertEquals(PYTORCH.text("emb.repr"), new Embedding(10, 3).toString());
        assertEquals(PYTORCH.text("emb.pad.repr"), new Embedding(10, 3, 0L).toString());
        assertEquals(PYTORCH.text("emb.pad_negative.repr"), new Embedding(10, 3, -1L).toString());
        assertEquals(PYTORCH.text("emb.error.range"), error(() -> new Embedding(3, 2).forward(Tensor.of(3L))));
        assertEquals(PYTORCH.text("emb.error.negative"), error(() -> new Embedding(3, 2).forward(Tensor.of(-1L))));
        assertEquals(PYTORCH.text("emb.error.float"), error(() -> new Embedding(3, 2).forward(Tensor.of(1.0f))));
        assertEquals(PYTORCH.text("emb.error.padding"), error(() -> new Embedding(3, 2, 3L)));
        Embedding moved = new Embedding(6, 3);
        moved.to(ReferenceDevices.FAKE);
        Tensor onFake = moved.forward(idx.to(ReferenceDevices.FAKE));
        assertEquals(ReferenceDevices.FAKE, onFake.device());
    }

    @Test
    void positionalEncodingIsTheSinusoidTable() {
        PositionalEncoding pe = new PositionalEncoding(6, 5, true);
        assertPyTorch("pe.d6.len5", pe.pe, 1e-7, 0);
        assertPyTorch("pe.d5.len4", new PositionalEncoding(5, 4, true).pe, 1e-7, 0);
        Tensor x = Tensor.ones(2, 3, 6);
        Tensor y = pe.forward(x);
        assertArrayEquals(
                pe.pe.narrow(0, 0, 3).add(1.0).toFloatArray(), y.get(1).toFloatArray());
        assertEquals("PositionalEncoding(d_model=6, max_len=5, persistent=True)", pe.toString());
        assertTrue(pe.parameters().isEmpty(), "a buffer, never trained");
        pe.to(ReferenceDevices.FAKE);
        assertEquals(ReferenceDevices.FAKE, pe.pe.device(), "moved with the module");
    }

    @Test
    void aPersistentEncodingIsSavedAndANonPersistentOneRefusesItUnderStrictLoading() {
        PositionalEncoding saved = new PositionalEncoding(4, 8, true);
        Map<String, Tensor> checkpoint = saved.stateDict();
        assertEquals(pyList(java.util.List.of("pe")), pyList(checkpoint.keySet()));
        PositionalEncoding transient_ = new PositionalEncoding(4, 8, false);
        assertTrue(transient_.stateDict().isEmpty());
        assertEquals(1, transient_.buffers().size());
        assertEquals(
                "Error(s) in loading state_dict for PositionalEncoding:\n\tUnexpected key(s) in state_dict: \"pe\". ",
                error(() -> transient_.loadStateDict(checkpoint)));
        IncompatibleKeys lenient = transient_.loadStateDict(checkpoint, false);
        assertEquals(java.util.List.of("pe"), lenient.unexpectedKeys());
        assertEquals(
                "<All keys matched successfully>",
                saved.loadStateDict(checkpoint).toString());
    }
}
