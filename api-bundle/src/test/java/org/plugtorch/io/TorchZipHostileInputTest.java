package org.plugtorch.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.plugtorch.tck.ReferenceDevices;

/** Malformed and hostile torch.save files: refused by name and place, and no code from them ever runs. */
class TorchZipHostileInputTest {
    @TempDir
    Path dir;

    @BeforeAll
    static void devices() {
        ReferenceDevices.install();
    }

    private String refused(byte[] file) throws IOException {
        Path p = Files.write(dir.resolve("bad.pt"), file);
        return assertThrows(CheckpointFormatException.class, () -> {
                    try (Checkpoint c = Checkpoints.open(p)) {
                        c.readAll(LoadOptions.defaults());
                    }
                })
                .getMessage();
    }

    private String refused(Path file) {
        return assertThrows(CheckpointFormatException.class, () -> Checkpoints.open(file))
                .getMessage()
                .replace(file.getFileName().toString(), "bad.pt");
    }

    private String refusedPickle(PickleBytes pickle, int... storageFloats) throws IOException {
        return refused(TorchZipBytes.stateDict(pickle.bytes(), storageFloats).bytes());
    }

    private static void assertContains(String expected, String actual) {
        assertTrue(actual.contains(expected), "expected «" + expected + "» in «" + actual + "»");
    }

    /** The state dict {'w': a tensor of 6 floats} that the hostile variants below start from. */
    private static PickleBytes validStateDict() {
        return PickleBytes.protocol2()
                .beginDict("w")
                .tensor("FloatStorage", "0", 6, 0, new long[] {2, 3}, new long[] {3, 1})
                .endDict();
    }

    @Test
    void theHandMadeStateDictIsValid() throws IOException {
        Path p = Files.write(
                dir.resolve("ok.pt"),
                TorchZipBytes.stateDict(validStateDict().bytes(), 6).bytes());
        assertEquals(6, Checkpoints.load(p, LoadOptions.defaults()).get("w").numel());
    }

    @Test
    void aPickleThatCallsOsSystemIsRefusedAndNothingRuns() throws IOException {
        Path marker = Path.of("plugtorch-malicious-fixture-ran");
        Path file = CheckpointFixtures.file("malicious.pt");
        String message = assertThrows(CheckpointFormatException.class, () -> Checkpoints.open(file))
                .getMessage();
        assertEquals(
                "malicious.pt: malicious/data.pkl byte 175: global 'posix.system' is not allowed; a torch.save "
                        + "state dict may name only " + TorchGlobal.allowed()
                        + " (PyTorch's weights_only rule). Nothing from "
                        + "the file was run",
                message);
        assertFalse(Files.exists(marker), "the fixture's command must not have run");
        assertThrows(CheckpointFormatException.class, () -> Checkpoints.describe(file));
    }

    @Test
    void anyGlobalOutsideTheAllowListIsRefusedByName() throws IOException {
        assertContains(
                "global 'builtins.eval' is not allowed",
                refusedPickle(PickleBytes.protocol2()
                        .global("builtins", "eval")
                        .string("1")
                        .op(0x85)
                        .op('R')
                        .op('.')));
        assertContains(
                "global 'subprocess.Popen' is not allowed",
                refusedPickle(PickleBytes.protocol2()
                        .op(0x8c)
                        .op(10)
                        .ops("subprocess")
                        .op(0x8c)
                        .op(5)
                        .ops("Popen")
                        .op(0x93)
                        .op('.')));
        assertContains(
                "global 'torch.Tensor' is not allowed",
                refusedPickle(PickleBytes.protocol2().global("torch", "Tensor").op('.')));
    }

    @Test
    void opcodesThatBuildArbitraryObjectsAreRefused() throws IOException {
        assertContains(
                "opcode INST (0x69) is not allowed",
                refusedPickle(
                        PickleBytes.protocol2().op('(').ops("ios\nsystem\n").op('.')));
        assertContains(
                "opcode NEWOBJ (0x81) is not allowed",
                refusedPickle(PickleBytes.protocol2()
                        .global("collections", "OrderedDict")
                        .op(')')
                        .op(0x81)
                        .op('.')));
        assertContains(
                "REDUCE calls 'torch.FloatStorage', which cannot be called",
                refusedPickle(PickleBytes.protocol2()
                        .global("torch", "FloatStorage")
                        .op(')')
                        .op('R')
                        .op('.')));
        assertContains(
                "BUILD on list is not allowed",
                refusedPickle(PickleBytes.protocol2().op(']').op('}').op('b').op('.')));
        assertContains(
                "opcode 0xff is not supported",
                refusedPickle(PickleBytes.protocol2().op(0xff)));
    }

    @Test
    void deepNestingIsBoundedWithoutRecursion() throws IOException {
        int n = 200_000;
        assertContains(
                "tuples nest deeper than 100 levels",
                refusedPickle(PickleBytes.protocol2()
                        .ops("(".repeat(n))
                        .ops("t".repeat(n))
                        .op('.')));
        String deepLists = refusedPickle(PickleBytes.protocol2()
                .beginDict("x")
                .ops("(".repeat(n))
                .ops("l".repeat(n))
                .endDict());
        assertContains("bad.pt: containers nest deeper than 100 levels at 'x.0.0.0", deepLists);
    }

    @Test
    void lengthsAreCheckedBeforeAnythingIsAllocated() throws IOException {
        assertContains(
                "BINUNICODE declares 2147483647 bytes but only 0 are left",
                refusedPickle(PickleBytes.protocol2().op('X').ops("\u00ff\u00ff\u00ff\u007f")));
        assertContains(
                "BINBYTES8 declares 18446744073709551615 bytes",
                refusedPickle(PickleBytes.protocol2().op(0x8e).ops("\u00ff".repeat(8))));
        assertContains(
                "LONG4 declares 2147483647 bytes",
                refusedPickle(PickleBytes.protocol2().op(0x8b).ops("\u00ff\u00ff\u00ff\u007f")));
        assertContains(
                "an integer of 2000 bytes is larger than any a checkpoint holds",
                refusedPickle(PickleBytes.protocol2()
                        .op(0x8b)
                        .ops("\u00d0\u0007\u0000\u0000")
                        .ops("\u0001".repeat(2000))
                        .op('.')));
    }

    @Test
    void hugeDeclaredStorageSizesAreCheckedAgainstTheRecords() throws IOException {
        assertContains(
                "storage '0' declares 1152921504606846976 elements of float32 (4611686018427387904 bytes) but "
                        + "its record holds 24 bytes",
                refusedPickle(
                        PickleBytes.protocol2()
                                .beginDict("w")
                                .tensor("FloatStorage", "0", 1L << 60, 0, new long[] {2}, new long[] {1})
                                .endDict(),
                        6));
        assertContains(
                "storage '0' declares 4611686018427387904 elements of float64, more bytes than a file can hold, "
                        + "but its record holds 24 bytes",
                refusedPickle(
                        PickleBytes.protocol2()
                                .beginDict("w")
                                .tensor("DoubleStorage", "0", 1L << 62, 0, new long[] {2}, new long[] {1})
                                .endDict(),
                        6));
        assertContains(
                "a tensor of size [100], stride [1] at offset 0 reaches element 99 of storage '0', which holds 6",
                refusedPickle(
                        PickleBytes.protocol2()
                                .beginDict("w")
                                .tensor("FloatStorage", "0", 6, 0, new long[] {100}, new long[] {1})
                                .endDict(),
                        6));
        assertContains(
                "a tensor of size [3, 2], stride [4611686018427387904, 1] at offset 0 reaches element "
                        + "9223372036854775807 of storage '0', which holds 6",
                refusedPickle(
                        PickleBytes.protocol2()
                                .beginDict("w")
                                .tensor("FloatStorage", "0", 6, 0, new long[] {3, 2}, new long[] {1L << 62, 1})
                                .endDict(),
                        6));
        assertContains(
                "storage '7' has no record 'archive/data/7' in the archive",
                refusedPickle(
                        PickleBytes.protocol2()
                                .beginDict("w")
                                .tensor("FloatStorage", "7", 6, 0, new long[] {6}, new long[] {1})
                                .endDict(),
                        6));
    }

    @Test
    void malformedStorageReferencesAndRebuildCalls() throws IOException {
        assertContains(
                "a persistent id must be ('storage', storage type, key, location, size), found str",
                refusedPickle(PickleBytes.protocol2().string("x").op('Q').op('.')));
        assertContains(
                "storage 'k' has location 'not a device!', which is not a device",
                refusedPickle(PickleBytes.protocol2()
                        .op('(')
                        .string("storage")
                        .global("torch", "FloatStorage")
                        .string("k")
                        .string("not a device!")
                        .integer(1)
                        .op('t')
                        .op('Q')
                        .op('.')));
        assertContains(
                "torch._utils._rebuild_tensor_v2: backward hooks are code and cannot be loaded",
                refusedPickle(
                        PickleBytes.protocol2()
                                .global("torch._utils", "_rebuild_tensor_v2")
                                .op('(')
                                .storage("FloatStorage", "0", 6)
                                .integer(0)
                                .ints(6)
                                .ints(1)
                                .op(0x89)
                                .op('}')
                                .string("h")
                                .integer(1)
                                .op('s')
                                .op('t')
                                .op('R')
                                .op('.'),
                        6));
        assertContains(
                "unhashable type: 'list' as a dict key",
                refusedPickle(PickleBytes.protocol2()
                        .op('}')
                        .op(']')
                        .op('q')
                        .op(0)
                        .op('h')
                        .op(0)
                        .op('a')
                        .integer(1)
                        .op('s')
                        .op('.')));
        assertContains(
                "the file holds int, not a state dict",
                refusedPickle(PickleBytes.protocol2().integer(3).op('.')));
        assertContains(
                "the pickle ends without a STOP opcode",
                refusedPickle(PickleBytes.protocol2().op('}')));
        assertContains(
                "memo entry 9 was never stored",
                refusedPickle(PickleBytes.protocol2().op('h').op(9)));
        assertContains(
                "the stack is empty", refusedPickle(PickleBytes.protocol2().op('R')));
    }

    @Test
    void brokenArchives() throws IOException {
        byte[] valid = TorchZipBytes.stateDict(validStateDict().bytes(), 6).bytes();
        assertContains(
                "no zip end-of-central-directory record: the file is truncated or not a zip archive",
                refused(Arrays.copyOf(valid, valid.length / 2)));
        byte[] corrupt = valid.clone();
        int data = indexOf(valid, "archive/data/0".getBytes(java.nio.charset.StandardCharsets.US_ASCII)) + 14;
        corrupt[data] ^= 1;
        assertContains("record 'archive/data/0' fails its CRC-32 check", refused(corrupt));
        assertContains(
                "record 'archive/data.pkl' (directory byte ",
                refused(new TorchZipBytes()
                        .deflatedRecord("archive/data.pkl", validStateDict().bytes())
                        .record("archive/data/0", new byte[24])
                        .bytes()));
        assertContains(
                "is compressed (method 8); torch.save stores records uncompressed",
                refused(new TorchZipBytes()
                        .deflatedRecord("archive/data.pkl", validStateDict().bytes())
                        .bytes()));
        assertContains(
                "record 'data.pkl' is not in a subdirectory",
                refused(new TorchZipBytes()
                        .record("data.pkl", validStateDict().bytes())
                        .bytes()));
        assertContains(
                "no record 'archive/data.pkl'",
                refused(new TorchZipBytes()
                        .record("archive/constants.pkl", new byte[1])
                        .bytes()));
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    @Test
    void formatsPyTorchItselfNoLongerWritesAreNamed() throws IOException {
        assertEquals(
                "bad.pt: a PYTORCH1 file (PyTorch's preview-release format), which PyTorch itself no longer reads",
                refused("PYTORCH1xxxxxxxx".getBytes(java.nio.charset.StandardCharsets.US_ASCII)));
        assertEquals(
                "bad.pt: a legacy torch.save file (before PyTorch 1.6, or saved with "
                        + "_use_new_zipfile_serialization=False); re-save it with a current torch.save",
                refused(CheckpointFixtures.file("legacy.pt")));
    }
}
