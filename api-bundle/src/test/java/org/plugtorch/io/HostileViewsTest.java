package org.plugtorch.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.plugtorch.Tensor;
import org.plugtorch.tck.ReferenceDevices;

/**
 * torch.save files whose views declare far more than they hold, and whose names and metadata repeat through shared
 * containers: reading them costs memory bounded by the file (views stay views, copies are limited), and what cannot
 * be bounded is refused by name.
 */
class HostileViewsTest {
    @TempDir
    Path dir;

    @BeforeAll
    static void devices() {
        ReferenceDevices.install();
    }

    private static byte[] doubles(double... values) {
        ByteBuffer b = ByteBuffer.allocate(8 * values.length).order(ByteOrder.LITTLE_ENDIAN);
        for (double v : values) {
            b.putDouble(v);
        }
        return b.array();
    }

    private Path file(String name, PickleBytes pickle, byte[]... storages) throws IOException {
        TorchZipBytes z = new TorchZipBytes().record("archive/data.pkl", pickle.bytes());
        for (int i = 0; i < storages.length; i++) {
            z.record("archive/data/" + i, storages[i]);
        }
        z.record("archive/version", "3\n".getBytes(StandardCharsets.US_ASCII));
        return Files.write(dir.resolve(name), z.bytes());
    }

    private static PickleBytes oneTensor(String type, long numel, long offset, long[] shape, long[] stride) {
        return PickleBytes.protocol2()
                .beginDict("w")
                .tensor(type, "0", numel, offset, shape, stride)
                .endDict();
    }

    @Test
    void aBroadcastViewOfEightGibibytesIsReadAsAView() throws IOException {
        // one float64 seen 2^30 times (stride 0): copying it took 8 GiB and ran out of memory
        Path f = file("wide.pt", oneTensor("DoubleStorage", 1, 0, new long[] {1L << 30}, new long[] {0}), doubles(2.5));
        try (Checkpoint c = Checkpoints.open(f)) {
            Tensor t = c.read("w", LoadOptions.defaults());
            assertArrayEquals(new long[] {1L << 30}, t.shape());
            assertArrayEquals(new long[] {0}, t.stride());
            assertEquals(2.5, t.get((1L << 30) - 1).item(), 0);
            Tensor all = c.readAll(LoadOptions.defaults()).get("w");
            assertArrayEquals(new long[] {0}, all.stride());
            assertEquals(2.5, all.get(12345).item(), 0);
        }
        // broadcast dimensions among others: the rest is read once, then expanded
        Path g = file(
                "rows.pt",
                oneTensor("DoubleStorage", 3, 0, new long[] {1L << 28, 3}, new long[] {0, 1}),
                doubles(1, 2, 3));
        try (Checkpoint c = Checkpoints.open(g)) {
            Tensor t = c.read("w", LoadOptions.defaults());
            assertArrayEquals(new long[] {0, 1}, t.stride());
            assertArrayEquals(new double[] {1, 2, 3}, t.get(1L << 27).toDoubleArray(), 0);
        }
    }

    @Test
    void aCopyOfOverlappingElementsMayNotOutgrowTheFile() throws IOException {
        // as_strided((65536, 65536), (1, 1)) of 131071 floats: half a megabyte of file, 16 GiB as a copy
        long n = 1 << 16;
        Path f = file(
                "overlap.pt",
                oneTensor("FloatStorage", 2 * n - 1, 0, new long[] {n, n}, new long[] {1, 1}),
                new byte[(int) (2 * n - 1) * 4]);
        String expected = "overlap.pt: tensor 'w' (size [65536, 65536], stride [1, 1]) would be a copy of 4294967296 "
                + "elements, more than the 131071 elements of tensor data in the file allow: its elements overlap, "
                + "and Plugtorch makes no view with overlapping strides";
        try (Checkpoint c = Checkpoints.open(f)) {
            assertEquals(
                    expected,
                    assertThrows(CheckpointFormatException.class, () -> c.read("w", LoadOptions.defaults()))
                            .getMessage());
            assertEquals(
                    expected,
                    assertThrows(CheckpointFormatException.class, () -> c.readAll(LoadOptions.defaults()))
                            .getMessage());
        }
        // a small overlap, as views.pt holds (as_strided((3, 3), (1, 1), 1) of 6), is still copied
        Path small = file(
                "small.pt",
                oneTensor("DoubleStorage", 6, 1, new long[] {3, 3}, new long[] {1, 1}),
                doubles(0, 1, 2, 3, 4, 5));
        assertArrayEquals(
                new double[] {1, 2, 3, 2, 3, 4, 3, 4, 5},
                Checkpoints.load(small, LoadOptions.defaults()).get("w").toDoubleArray(),
                0);
    }

    @Test
    void anEmptyViewAtAnyOffsetReadsAsEmpty() throws IOException {
        // PyTorch accepts a zero-element view past its storage's end; reading it sliced the mapped file there
        Path f = file("empty.pt", oneTensor("FloatStorage", 1, 1L << 40, new long[] {0}, new long[] {1}), new byte[4]);
        assertEquals(0, Checkpoints.load(f, LoadOptions.defaults()).get("w").numel());
        try (Checkpoint c = Checkpoints.open(f)) {
            assertArrayEquals(
                    new long[] {0}, c.read("w", LoadOptions.defaults()).shape());
        }
    }

    @Test
    void byteSizesAreExactOrTheTensorIsRefused() throws IOException {
        // 2^60 float32 (a broadcast view): 2^62 bytes, which numel * 32 / 8 overflowed to 0
        Path f = file(
                "big.pt",
                PickleBytes.protocol2()
                        .op('}')
                        .op('(')
                        .string("a")
                        .tensor("DoubleStorage", "0", 1, 0, new long[] {1L << 59}, new long[] {0})
                        .string("b")
                        .tensor("DoubleStorage", "0", 1, 0, new long[] {1L << 59}, new long[] {0})
                        .string("c")
                        .tensor("FloatStorage", "1", 1, 0, new long[] {1L << 60}, new long[] {0})
                        .op('u')
                        .op('.'),
                doubles(0),
                new byte[4]);
        String text = Checkpoints.describe(f);
        assertTrue(text.startsWith("big.pt: torch, 3 tensors, 13835058055282163712 bytes of tensor data\n"), text);
        assertTrue(text.contains("  c     torch.float32  [1152921504606846976]  4611686018427387904  cpu\n"), text);
        // 2^62 float32 is 2^64 bytes: no long counts it
        Path g = file("bigger.pt", oneTensor("FloatStorage", 1, 0, new long[] {1L << 62}, new long[] {0}), new byte[4]);
        assertEquals(
                "bigger.pt: archive/data.pkl byte 141: a tensor of size [4611686018427387904] holds "
                        + "4611686018427387904 elements of float32, more bytes than a long counts",
                assertThrows(CheckpointFormatException.class, () -> Checkpoints.describe(g))
                        .getMessage());
    }

    @Test
    void aTensorNamedTwiceIsOneTensor() throws IOException {
        // {'a': t, 'b': t}: one object in Python, read once
        Path f = file(
                "twice.pt",
                PickleBytes.protocol2()
                        .op('}')
                        .string("a")
                        .tensor("DoubleStorage", "0", 2, 0, new long[] {2}, new long[] {1})
                        .op('q')
                        .op(9)
                        .op('s')
                        .string("b")
                        .op('h')
                        .op(9)
                        .op('s')
                        .op('.'),
                doubles(1, 2));
        Map<String, Tensor> sd = Checkpoints.load(f, LoadOptions.defaults());
        assertSame(sd.get("a"), sd.get("b"));
    }

    @Test
    void namesRepeatingALongKeyAreRefusedBeforeTheyAreSpelledOut() throws IOException {
        // 99 nested dicts under one memoised key of a megabyte, and 100 names for one tensor at the bottom: 10 GB
        Path f = file("deep.pt", nested(1 << 20, 99, 100), new byte[4]);
        String message = assertThrows(CheckpointFormatException.class, () -> Checkpoints.open(f))
                .getMessage();
        assertTrue(
                message.startsWith(
                        "deep.pt: a tensor's name would be 103809124 characters long, more than " + "1048576: 'kkkk"),
                message);
        assertTrue(message.length() < 400, "the name is not printed whole");
        // shorter keys, more names: the names in all may take 16 characters a byte of pickle
        Path g = file("wide.pt", nested(1000, 99, 10_000), new byte[4]);
        message = assertThrows(CheckpointFormatException.class, () -> Checkpoints.open(g))
                .getMessage();
        assertTrue(
                message.matches("wide\\.pt: the tensor names and metadata in archive/data\\.pkl would take more "
                        + "than \\d+ characters \\(16 for each of its \\d+ bytes\\): its containers repeat keys through "
                        + "shared references"),
                message);
    }

    /** {k: {k: ... {k: [t, t, ...]}}}: {@code depth} dicts under one memoised key, a list of {@code refs} refs. */
    private static PickleBytes nested(int keyLength, int depth, int refs) {
        PickleBytes b = PickleBytes.protocol2()
                .op('}')
                .string("k".repeat(keyLength))
                .op('q')
                .op(0);
        for (int d = 1; d < depth; d++) {
            b.op('}').op('h').op(0);
        }
        b.op(']').op('(');
        b.tensor("FloatStorage", "0", 1, 0, new long[] {1}, new long[] {1})
                .op('q')
                .op(1);
        for (int i = 1; i < refs; i++) {
            b.op('h').op(1);
        }
        b.op('e');
        for (int d = 0; d < depth; d++) {
            b.op('s');
        }
        return b.op('.');
    }

    @Test
    void metadataSharedByManyModulesIsCharged() throws IOException {
        // _metadata {m0: M, m1: M, ...} with one M of 2,000 fields for 2,000 modules: 4 million entries from 30 kB
        PickleBytes p = PickleBytes.protocol2()
                .global("collections", "OrderedDict")
                .op(')')
                .op('R');
        p.op('}').string("_metadata").op('}').op('}').op('(');
        for (int i = 0; i < 2_000; i++) {
            p.string("f" + i).integer(1);
        }
        p.op('u').op('r').ops("\0\0\0\0").op('0').op('(');
        for (int i = 0; i < 2_000; i++) {
            p.string("m" + i).op('j').ops("\0\0\0\0");
        }
        p.op('u').op('s').op('b').op('.');
        Path f = file("meta.pt", p);
        String message = assertThrows(CheckpointFormatException.class, () -> Checkpoints.open(f))
                .getMessage();
        assertTrue(
                message.startsWith(
                        "meta.pt: the tensor names and metadata in archive/data.pkl would take more " + "than"),
                message);
    }

    @Test
    void aStorageLocationMustBeADeviceStringAsItIs() throws IOException {
        for (String location : new String[] {"cpu\0", "cpu ", "cuda:01", "c".repeat(1 << 20)}) {
            PickleBytes p = PickleBytes.protocol2()
                    .op('(')
                    .string("storage")
                    .global("torch", "FloatStorage")
                    .string("0")
                    .string(location)
                    .integer(1)
                    .op('t')
                    .op('Q')
                    .op('.');
            Path f = file("loc.pt", p, new byte[4]);
            String message = assertThrows(CheckpointFormatException.class, () -> Checkpoints.open(f))
                    .getMessage();
            assertTrue(
                    message.matches("loc\\.pt: archive/data\\.pkl byte \\d+: storage '0' has location '.*', which "
                            + "is not a device"),
                    message);
            assertTrue(message.contains("'" + PickleTypes.printable(location) + "'"), message);
        }
    }

    @Test
    void rebuildingViewsSharesOneBudgetPerFile() {
        // a transposed, stepped view takes a few steps to plan; a budget too small for it gives null (a copy), and
        // what the plans spent comes off one budget, so many views cannot each take the full search
        Tensor storage = Tensor.arange(1000);
        long[] shape = {5, 7};
        long[] strides = {2, 60};
        StridedViews.Budget ample = new StridedViews.Budget(StridedViews.BASE_BUDGET);
        assertNotNull(StridedViews.view(storage, 3, shape, strides, ample));
        long spent = StridedViews.BASE_BUDGET - ample.left;
        assertTrue(spent > 0 && spent < 100, "spent " + spent);
        StridedViews.Budget small = new StridedViews.Budget(spent * 10);
        int made = 0;
        for (int i = 0; i < 100; i++) {
            made += StridedViews.view(storage, 3 + i, shape, strides, small) != null ? 1 : 0;
        }
        assertTrue(made < 100 && small.left >= 0, made + " views, " + small.left + " left");
        assertNull(StridedViews.view(storage, 3, shape, strides, new StridedViews.Budget(0)));
    }
}
