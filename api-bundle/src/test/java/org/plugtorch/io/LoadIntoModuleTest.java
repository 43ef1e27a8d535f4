package org.plugtorch.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.plugtorch.DType;
import org.plugtorch.Tensor;
import org.plugtorch.nn.IncompatibleKeys;
import org.plugtorch.nn.Linear;
import org.plugtorch.nn.Module;
import org.plugtorch.nn.Parameter;
import org.plugtorch.tck.ReferenceDevices;

/** loadStateDict from files PyTorch wrote: in place, tensor by tensor, with the contract's strict semantics. */
class LoadIntoModuleTest {
    @TempDir
    Path dir;

    @BeforeAll
    static void devices() {
        ReferenceDevices.install();
    }

    private static LinkedHashMap<String, Tensor> snapshot(Module m) {
        LinkedHashMap<String, Tensor> copy = new LinkedHashMap<>();
        m.stateDict().forEach((k, v) -> copy.put(k, v.clone()));
        return copy;
    }

    private static void assertUnchanged(Map<String, Tensor> before, Module m) {
        m.stateDict().forEach((k, v) -> assertTrue(before.get(k).equal(v), k + " changed"));
    }

    private static void assertLoaded(String file, Module m) {
        Map<String, CheckpointFixtures.Expected> expected = CheckpointFixtures.expected(file);
        m.stateDict().forEach((k, v) -> CheckpointFixtures.assertValues(expected.get(k), v, file + " " + k));
    }

    @ParameterizedTest
    @ValueSource(strings = {"seed.pt", "seed.safetensors"})
    void theSeedModelLoadsInPlace(String file) throws IOException {
        CheckpointModels.SeedModel model = new CheckpointModels.SeedModel();
        Parameter weight = model.linear.weight;
        Tensor view = weight.view(9);
        IncompatibleKeys keys = Checkpoints.loadStateDict(model, CheckpointFixtures.file(file), LoadOptions.defaults());
        assertEquals("<All keys matched successfully>", keys.toString());
        assertSame(weight, model.linear.weight);
        assertTrue(view.sharesStorageWith(weight), "values are copied into the existing storage");
        assertLoaded(file, model);
    }

    @ParameterizedTest
    @ValueSource(strings = {"mlp.pt", "mlp.safetensors"})
    void aBatchNormMlpKeepsItsInt64Counter(String file) throws IOException {
        Module mlp = CheckpointModels.mlp();
        Checkpoints.loadStateDict(mlp, CheckpointFixtures.file(file), LoadOptions.defaults());
        assertLoaded(file, mlp);
        Tensor counter = mlp.getBuffer("1.num_batches_tracked");
        assertEquals(DType.INT64, counter.dtype());
        assertEquals(3, counter.itemLong());
    }

    @ParameterizedTest
    @ValueSource(strings = {"tied.pt", "tied.safetensors"})
    void tiedWeightsLoadFromEitherFormat(String file) throws IOException {
        CheckpointModels.Tied tied = new CheckpointModels.Tied();
        IncompatibleKeys keys = Checkpoints.loadStateDict(tied, CheckpointFixtures.file(file), LoadOptions.defaults());
        assertTrue(keys.isEmpty(), keys.toString());
        assertSame(tied.emb.weight, tied.head.getParameter("weight"));
        CheckpointFixtures.assertValues(
                CheckpointFixtures.expected("tied.pt").get("head.weight"), tied.head.getParameter("weight"), file);
    }

    @Test
    void aModuleOnAnotherDeviceGetsItsValuesThere() throws IOException {
        CheckpointModels.Tied tied = new CheckpointModels.Tied(ReferenceDevices.FAKE);
        Parameter bias = tied.head.bias;
        Checkpoints.loadStateDict(tied, CheckpointFixtures.file("tied.safetensors"), LoadOptions.defaults());
        assertSame(bias, tied.head.bias);
        assertEquals(ReferenceDevices.FAKE, bias.device());
        CheckpointFixtures.assertValues(CheckpointFixtures.expected("tied.pt").get("head.bias"), bias, "head.bias");
    }

    @ParameterizedTest
    @ValueSource(strings = {"seed.pt", "seed.safetensors"})
    void strictErrorsUsePyTorchsTextAndChangeNothing(String file) throws IOException {
        Module mlp = CheckpointModels.mlp();
        Map<String, Tensor> before = snapshot(mlp);
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class,
                () -> Checkpoints.loadStateDict(mlp, CheckpointFixtures.file(file), LoadOptions.defaults()));
        assertTrue(
                e.getMessage()
                        .startsWith("Error(s) in loading state_dict for Sequential:\n"
                                + "\tMissing key(s) in state_dict: \"0.weight\", \"0.bias\", \"1.weight\""),
                e.getMessage());
        assertTrue(e.getMessage().contains("\n\tUnexpected key(s) in state_dict: "), e.getMessage());
        assertUnchanged(before, mlp);

        IncompatibleKeys keys = Checkpoints.loadStateDict(
                mlp, CheckpointFixtures.file(file), LoadOptions.defaults().strict(false));
        assertEquals(9, keys.missingKeys().size());
        assertEquals(4, keys.unexpectedKeys().size());
        assertUnchanged(before, mlp);
    }

    /** A Linear(3, 4) where the file has Linear(3, 3): a size mismatch, an error even when not strict. */
    static final class WiderSeed extends Module {
        WiderSeed() {
            module("linear", new Linear(3, 4));
            parameter("parameter1", Tensor.zeros(3));
            parameter("parameter2", Tensor.zeros(3));
        }
    }

    @Test
    void aSizeMismatchFailsTheWholeLoad() throws IOException {
        WiderSeed m = new WiderSeed();
        Map<String, Tensor> before = snapshot(m);
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class,
                () -> Checkpoints.loadStateDict(
                        m,
                        CheckpointFixtures.file("seed.pt"),
                        LoadOptions.defaults().strict(false)));
        assertEquals(
                "Error(s) in loading state_dict for WiderSeed:\n"
                        + "\tsize mismatch for linear.weight: copying a param with shape torch.Size([3, 3]) from checkpoint, "
                        + "the shape in current model is torch.Size([4, 3]).\n"
                        + "\tsize mismatch for linear.bias: copying a param with shape torch.Size([3]) from checkpoint, "
                        + "the shape in current model is torch.Size([4]).",
                e.getMessage());
        assertUnchanged(before, m);
    }

    @Test
    void dataParallelCheckpointsLoadWithThePrefixStripped() throws IOException {
        CheckpointModels.SeedModel model = new CheckpointModels.SeedModel();
        Path file = CheckpointFixtures.file("data_parallel.pt");
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class, () -> Checkpoints.loadStateDict(model, file, LoadOptions.defaults()));
        assertTrue(e.getMessage().contains("Unexpected key(s) in state_dict: \"module.parameter1\""), e.getMessage());
        Checkpoints.loadStateDict(model, file, LoadOptions.defaults().stripPrefix("module."));
        Map<String, CheckpointFixtures.Expected> expected = CheckpointFixtures.expected("data_parallel.pt");
        model.stateDict().forEach((k, v) -> CheckpointFixtures.assertValues(expected.get("module." + k), v, k));
    }

    /** Parameters named like half.pt's tensors, in float32 and float64. */
    static final class HalfTargets extends Module {
        HalfTargets() {
            parameter("f16", Tensor.zeros(10));
            parameter("bf16", Tensor.zeros(new long[] {9}, DType.FLOAT64, org.plugtorch.Device.CPU));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"half.pt", "half.safetensors"})
    void halfPrecisionLoadsIntoWiderParametersWithoutAsking(String file) throws IOException {
        HalfTargets m = new HalfTargets();
        Checkpoints.loadStateDict(m, CheckpointFixtures.file(file), LoadOptions.defaults());
        assertLoaded(file, m);
        assertEquals(DType.FLOAT64, m.getParameter("bf16").dtype());
    }

    @Test
    void aTensorPlugtorchCannotHoldIsRefusedBeforeAnythingIsCopied() throws IOException {
        Path file = dir.resolve("bytes.safetensors");
        SafetensorsBytes.write(
                file,
                "{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},"
                        + "\"b\":{\"dtype\":\"U8\",\"shape\":[2],\"data_offsets\":[8,10]}}",
                new byte[10]);
        Module m = new Module();
        m.registerParameter("a", new Parameter(Tensor.ones(2)));
        m.registerParameter("b", new Parameter(Tensor.ones(2)));
        CheckpointFormatException e = assertThrows(
                CheckpointFormatException.class, () -> Checkpoints.loadStateDict(m, file, LoadOptions.defaults()));
        assertEquals("bytes.safetensors: tensor 'b' has dtype U8, which Plugtorch cannot load into b", e.getMessage());
        assertTrue(m.getParameter("a").equal(Tensor.ones(2)), "a was not copied");

        Module onlyA = new Module();
        onlyA.registerParameter("a", new Parameter(Tensor.ones(2)));
        IncompatibleKeys keys =
                Checkpoints.loadStateDict(onlyA, file, LoadOptions.defaults().strict(false));
        assertEquals(List.of("b"), keys.unexpectedKeys(), "an unreadable tensor nobody asks for is only unexpected");
        assertTrue(onlyA.getParameter("a").equal(Tensor.zeros(2)));
    }

    @Test
    void aOneElementVectorLoadsIntoAScalarAndNonContiguousTargetsFill() throws IOException {
        Path file = dir.resolve("shapes.safetensors");
        Module source = new Module();
        source.registerBuffer("scalar", Tensor.of(7f));
        source.registerBuffer("matrix", Tensor.arange(6).reshape(2, 3).to(DType.FLOAT32));
        Checkpoints.save(source, file);
        Module target = new Module();
        target.registerBuffer("scalar", Tensor.scalar(0.0));
        Tensor transposed = Tensor.zeros(3, 2).t();
        target.registerBuffer("matrix", transposed);
        Checkpoints.loadStateDict(target, file, LoadOptions.defaults());
        assertEquals(7.0, target.getBuffer("scalar").item());
        assertSame(transposed, target.getBuffer("matrix"));
        assertTrue(transposed.equal(Tensor.arange(6).reshape(2, 3)));
    }
}
