package org.plugtorch.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
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
import org.plugtorch.Device;
import org.plugtorch.Tensor;
import org.plugtorch.tck.ReferenceDevices;

/** The safetensors writer: the reference writer's bytes, every dtype back unchanged, and its refusals. */
class SafetensorsWriterTest {
    @TempDir
    Path dir;

    @BeforeAll
    static void devices() {
        ReferenceDevices.install();
    }

    /**
     * Reading a file that safetensors' own (Rust) writer made and writing its tensors back gives the same bytes:
     * order, offsets, JSON, escaping and padding all follow the reference.
     */
    @ParameterizedTest
    @ValueSource(strings = {"seed.safetensors", "mlp.safetensors", "dtypes.safetensors"})
    void rewritingAReferenceFileGivesItsExactBytes(String file) throws IOException {
        Path original = CheckpointFixtures.file(file);
        Path copy = dir.resolve(file);
        try (Checkpoint c = Checkpoints.open(original)) {
            // the metadata in the order the file lists it (the reference writer's hash order)
            Checkpoints.saveSafetensors(
                    c.readAll(LoadOptions.defaults()), c.metadata().isEmpty() ? null : c.metadata(), copy);
        }
        assertArrayEquals(Files.readAllBytes(original), Files.readAllBytes(copy), file);
    }

    @Test
    void everyDtypeComesBackUnchangedOnAnyDevice() throws IOException {
        LinkedHashMap<String, Tensor> tensors = new LinkedHashMap<>();
        tensors.put("f32", Tensor.of(1.5f, -0f, Float.NaN, Float.MIN_VALUE, Float.NEGATIVE_INFINITY));
        tensors.put("f64", Tensor.of(Math.PI, -Double.MAX_VALUE, Double.MIN_VALUE));
        tensors.put("i64", Tensor.of(Long.MIN_VALUE, -1L, Long.MAX_VALUE));
        tensors.put("i32", Tensor.of(Integer.MIN_VALUE, 0, Integer.MAX_VALUE));
        tensors.put("bool", Tensor.of(true, false, true));
        tensors.put("scalar", Tensor.scalar(3L));
        tensors.put("empty", Tensor.zeros(0, 4));
        tensors.put("transposed", Tensor.arange(6).reshape(2, 3).t());
        tensors.put("on_fake", Tensor.arange(4).to(DType.FLOAT64).to(ReferenceDevices.FAKE));
        Path file = dir.resolve("all.safetensors");
        Checkpoints.saveSafetensors(tensors, Map.of("k", "v"), file);
        Map<String, Tensor> back = Checkpoints.load(file, LoadOptions.defaults());
        assertEquals(tensors.keySet(), back.keySet());
        for (Map.Entry<String, Tensor> e : tensors.entrySet()) {
            Tensor b = back.get(e.getKey());
            assertEquals(e.getValue().dtype(), b.dtype(), e.getKey());
            assertEquals(Device.CPU, b.device());
            assertArrayEquals(e.getValue().shape(), b.shape(), e.getKey());
            assertArrayEquals(e.getValue().toDoubleArray(), b.toDoubleArray(), e.getKey());
        }
        assertEquals(
                Double.doubleToRawLongBits(-0.0),
                Double.doubleToRawLongBits(back.get("f32").toDoubleArray()[1]),
                "the sign of zero survives");
    }

    @Test
    void theHeaderFollowsTheReferenceWritersRules() throws IOException {
        LinkedHashMap<String, Tensor> tensors = new LinkedHashMap<>();
        tensors.put("b", Tensor.of(true));
        tensors.put("a32", Tensor.of(1f));
        tensors.put("z64", Tensor.of(1L));
        tensors.put("a64", Tensor.of(1L));
        tensors.put("d", Tensor.of(2.0));
        tensors.put("i", Tensor.of(3));
        Path file = dir.resolve("order.safetensors");
        Checkpoints.saveSafetensors(tensors, null, file);
        byte[] bytes = Files.readAllBytes(file);
        long n = ByteBuffer.wrap(bytes, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
        assertEquals(0, n % 8, "the header is padded to a multiple of 8");
        String header = new String(bytes, 8, (int) n, StandardCharsets.UTF_8);
        assertEquals('{', header.charAt(0));
        assertEquals(
                "{\"a64\":{\"dtype\":\"I64\",\"shape\":[1],\"data_offsets\":[0,8]},"
                        + "\"z64\":{\"dtype\":\"I64\",\"shape\":[1],\"data_offsets\":[8,16]},"
                        + "\"d\":{\"dtype\":\"F64\",\"shape\":[1],\"data_offsets\":[16,24]},"
                        + "\"a32\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[24,28]},"
                        + "\"i\":{\"dtype\":\"I32\",\"shape\":[1],\"data_offsets\":[28,32]},"
                        + "\"b\":{\"dtype\":\"BOOL\",\"shape\":[1],\"data_offsets\":[32,33]}}",
                header.stripTrailing());
        assertTrue(header.substring(header.stripTrailing().length()).chars().allMatch(c -> c == ' '));
        assertEquals(8 + n + 33, bytes.length);
    }

    @Test
    void tensorsSharingMemoryAreRefusedAsSafetensorsRefusesThem() {
        Tensor w = Tensor.arange(6).reshape(2, 3);
        Map<String, Tensor> tied = new LinkedHashMap<>();
        tied.put("a", w);
        tied.put("b", w.view(6));
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class,
                () -> Checkpoints.saveSafetensors(tied, null, dir.resolve("x.safetensors")));
        assertTrue(
                e.getMessage()
                        .startsWith("Some tensors share memory, this will lead to duplicate memory on disk and "
                                + "potential differences when loading them again: [[a, b]]."),
                e.getMessage());
        assertFalse(Files.exists(dir.resolve("x.safetensors")));
        Map<String, Tensor> rows = new LinkedHashMap<>();
        rows.put("r0", w.get(0));
        rows.put("r1", w.get(1));
        assertTrue(
                assertDoesNotThrowIo(() -> Checkpoints.saveSafetensors(rows, null, dir.resolve("rows.safetensors"))),
                "views of one storage that do not overlap are written, as safetensors writes them");
    }

    private interface IoAction {
        void run() throws IOException;
    }

    private static boolean assertDoesNotThrowIo(IoAction a) {
        try {
            a.run();
            return true;
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void savingAModuleKeepsOneOfTiedTensorsAndRecordsTheOther() throws IOException {
        CheckpointModels.Tied tied = new CheckpointModels.Tied();
        Path file = dir.resolve("tied.safetensors");
        Checkpoints.save(tied, Map.of("format", "pt"), file);
        try (Checkpoint c = Checkpoints.open(file)) {
            assertEquals(
                    List.of("emb.bias", "emb.weight", "head.bias"),
                    c.entries().stream().map(TensorEntry::name).sorted().collect(java.util.stream.Collectors.toList()));
            assertEquals("emb.weight", c.metadata().get("head.weight"), "as safetensors' save_model records it");
            assertEquals("pt", c.metadata().get("format"));
        }
        CheckpointModels.Tied other = new CheckpointModels.Tied();
        Checkpoints.loadStateDict(other, file, LoadOptions.defaults());
        assertTrue(other.head.getParameter("weight").equal(tied.emb.weight));
        assertTrue(other.head.bias.equal(tied.head.bias));
    }

    @Test
    void badArgumentsAreRefusedByName() {
        Map<String, Tensor> reserved = Map.of("__metadata__", Tensor.zeros(1));
        assertEquals(
                "'__metadata__' is reserved for metadata and cannot name a tensor",
                assertThrows(
                                IllegalArgumentException.class,
                                () -> Checkpoints.saveSafetensors(reserved, null, dir.resolve("r.safetensors")))
                        .getMessage());
        Map<String, Tensor> nullValue = new LinkedHashMap<>();
        nullValue.put("x", null);
        assertEquals(
                "tensor 'x' is null",
                assertThrows(
                                IllegalArgumentException.class,
                                () -> Checkpoints.saveSafetensors(nullValue, null, dir.resolve("n.safetensors")))
                        .getMessage());
    }

    @Test
    void aFailedWriteLeavesTheOldFileWhole() throws IOException {
        Path file = dir.resolve("keep.safetensors");
        Checkpoints.saveSafetensors(Map.of("x", Tensor.of(1f)), null, file);
        byte[] before = Files.readAllBytes(file);
        Map<String, Tensor> bad = new LinkedHashMap<>();
        Tensor w = Tensor.zeros(2);
        bad.put("a", w);
        bad.put("b", w);
        assertThrows(IllegalArgumentException.class, () -> Checkpoints.saveSafetensors(bad, null, file));
        assertArrayEquals(before, Files.readAllBytes(file));
        try (var listing = Files.list(dir)) {
            assertEquals(1, listing.count(), "no temporary file is left behind");
        }
    }

    @Test
    void aWrittenFileGetsTheUsualPermissionsNotATemporaryFilesOwnerOnlyOnes() throws IOException {
        Path reference = Files.createFile(dir.resolve("plain"));
        Path file = dir.resolve("perm.safetensors");
        Checkpoints.saveSafetensors(Map.of("x", Tensor.of(1f)), null, file);
        if (reference.getFileSystem().supportedFileAttributeViews().contains("posix")) {
            assertEquals(Files.getPosixFilePermissions(reference), Files.getPosixFilePermissions(file));
        }
    }
}
