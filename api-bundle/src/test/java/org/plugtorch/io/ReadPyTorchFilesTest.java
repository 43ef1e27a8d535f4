package org.plugtorch.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.plugtorch.DType;
import org.plugtorch.Device;
import org.plugtorch.Tensor;
import org.plugtorch.tck.ReferenceDevices;

/** Files written by real PyTorch 1.13 and safetensors: every tensor, every value, as PyTorch saved it. */
class ReadPyTorchFilesTest {
    private static final LoadOptions WIDE = LoadOptions.defaults().widenHalfPrecision(true);

    @BeforeAll
    static void devices() {
        ReferenceDevices.install();
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "seed.pt",
                "seed.safetensors",
                "mlp.pt",
                "mlp.safetensors",
                "tied.pt",
                "tied.safetensors",
                "dtypes.pt",
                "dtypes.safetensors",
                "half.pt",
                "half.safetensors",
                "views.pt",
                "data_parallel.pt",
                "protocol1.pt",
                "protocol2.pt",
                "protocol3.pt",
                "protocol4.pt",
                "protocol5.pt",
                "training.pt"
            })
    void everyValueIsWhatPyTorchSaved(String file) throws IOException {
        LinkedHashMap<String, Tensor> loaded = Checkpoints.load(CheckpointFixtures.file(file), WIDE);
        Map<String, CheckpointFixtures.Expected> expected = CheckpointFixtures.expected(file);
        if (!file.equals("training.pt")) {
            assertEquals(
                    List.copyOf(expected.keySet()),
                    file.endsWith(".safetensors")
                            ? List.copyOf(sortedLike(expected.keySet(), loaded))
                            : List.copyOf(loaded.keySet()),
                    file + ": keys");
        }
        for (CheckpointFixtures.Expected e : expected.values()) {
            Tensor t = loaded.get(e.key);
            assertEquals(CheckpointFixtures.loadedAs(e.dtype), t.dtype(), file + " " + e.key + ": dtype");
            assertEquals(Device.CPU, t.device());
            CheckpointFixtures.assertValues(e, t, file + " " + e.key);
        }
    }

    /** safetensors keeps no save order: its files list tensors by offset, so compare as sets in expected order. */
    private static List<String> sortedLike(java.util.Set<String> order, Map<String, Tensor> loaded) {
        assertEquals(order, loaded.keySet());
        return List.copyOf(order);
    }

    @Test
    void tensorsThatSharedAStorageShareOneAgainAsWithTorchLoad() throws IOException {
        for (String file : new String[] {"views.pt", "tied.pt"}) {
            Map<String, Tensor> loaded = Checkpoints.load(CheckpointFixtures.file(file), LoadOptions.defaults());
            for (String[] pair : CheckpointFixtures.sharing(file)) {
                assertTrue(
                        loaded.get(pair[0]).sharesStorageWith(loaded.get(pair[1])),
                        file + ": " + pair[0] + " and " + pair[1] + " should share a storage");
            }
        }
        Map<String, Tensor> views = Checkpoints.load(CheckpointFixtures.file("views.pt"), LoadOptions.defaults());
        Tensor base = views.get("base");
        assertFalse(views.get("transposed").isContiguous());
        base.fill_(-1.0);
        assertEquals(-1.0, views.get("columns").get(2, 1).item(), "a view sees writes to its base, as in PyTorch");
        assertFalse(views.get("overlapping").sharesStorageWith(base));
    }

    @Test
    void halfPrecisionIsRefusedUnlessWideningWasAsked() throws IOException {
        for (String file : new String[] {"half.pt", "half.safetensors"}) {
            CheckpointFormatException e = assertThrows(
                    CheckpointFormatException.class,
                    () -> Checkpoints.load(CheckpointFixtures.file(file), LoadOptions.defaults()));
            assertTrue(e.getMessage().matches(file + ": tensor '(bf16|f16)' has dtype .*"), e.getMessage());
            assertTrue(
                    e.getMessage()
                            .endsWith("which Plugtorch has no dtype for; read it as float32 with "
                                    + "LoadOptions.widenHalfPrecision(true)"),
                    e.getMessage());
        }
    }

    @Test
    void entriesDescribeTensorsWithoutReadingThem() throws IOException {
        try (Checkpoint pt = Checkpoints.open(CheckpointFixtures.file("dtypes.pt"));
                Checkpoint st = Checkpoints.open(CheckpointFixtures.file("dtypes.safetensors"))) {
            assertEquals("torch", pt.format());
            assertEquals("safetensors", st.format());
            TensorEntry i64 = pt.entry("i64");
            assertEquals("torch.int64", i64.dtypeName());
            assertEquals(DType.INT64, i64.dtype());
            assertEquals(40, i64.byteSize());
            assertEquals("cpu", i64.location());
            TensorEntry scalar = st.entry("scalar");
            assertEquals("F32", scalar.dtypeName());
            assertEquals(0, scalar.shape().length);
            assertNull(scalar.location());
            assertEquals(Map.of("format", "pt", "note", "é \"quoted\"\n"), st.metadata());
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> st.entry("nope"));
            assertTrue(
                    e.getMessage().startsWith("dtypes.safetensors has no tensor 'nope' (it has 8: "), e.getMessage());
        }
    }

    @Test
    void aStateDictsModuleVersionsAreItsMetadata() throws IOException {
        try (Checkpoint c = Checkpoints.open(CheckpointFixtures.file("mlp.pt"))) {
            assertEquals("3", c.metadata().get("version"));
            assertEquals("1", c.metadata().get("_metadata.0.version"));
            assertEquals("2", c.metadata().get("_metadata.1.version"), "BatchNorm's state dict version");
        }
    }

    @Test
    void mapLocationPutsTensorsOnAnotherDevice() throws IOException {
        for (String file : new String[] {"views.pt", "mlp.safetensors"}) {
            Map<String, Tensor> loaded = Checkpoints.load(
                    CheckpointFixtures.file(file), LoadOptions.defaults().mapLocation(ReferenceDevices.FAKE));
            for (Map.Entry<String, Tensor> e : loaded.entrySet()) {
                assertEquals(ReferenceDevices.FAKE, e.getValue().device(), file + " " + e.getKey());
                CheckpointFixtures.assertValues(
                        CheckpointFixtures.expected(file).get(e.getKey()), e.getValue(), file + " " + e.getKey());
            }
        }
        Map<String, Tensor> byLocation = Checkpoints.load(
                CheckpointFixtures.file("seed.pt"),
                LoadOptions.defaults().mapLocation(location -> location.equals("cpu") ? ReferenceDevices.FAKE : null));
        assertEquals(ReferenceDevices.FAKE, byLocation.get("linear.weight").device());
    }

    @Test
    void aDataParallelPrefixIsStrippedOnRequest() throws IOException {
        Map<String, Tensor> raw = Checkpoints.load(CheckpointFixtures.file("data_parallel.pt"), LoadOptions.defaults());
        assertEquals(
                List.of("module.parameter1", "module.parameter2", "module.linear.weight", "module.linear.bias"),
                List.copyOf(raw.keySet()));
        Map<String, Tensor> stripped = Checkpoints.load(
                CheckpointFixtures.file("data_parallel.pt"),
                LoadOptions.defaults().stripPrefix("module."));
        assertEquals(
                List.of("parameter1", "parameter2", "linear.weight", "linear.bias"), List.copyOf(stripped.keySet()));
        assertEquals(
                List.of("parameter1", "parameter2", "linear.weight", "linear.bias"),
                List.copyOf(StateDicts.stripPrefix(raw, "module.").keySet()));
    }

    @Test
    void aTrainingCheckpointsTensorsAreNamedByTheirPath() throws IOException {
        try (Checkpoint c = Checkpoints.open(CheckpointFixtures.file("training.pt"))) {
            assertEquals(
                    List.of("model.weight", "model.bias", "history.0"),
                    c.entries().stream().map(TensorEntry::name).collect(java.util.stream.Collectors.toList()));
        }
    }
}
