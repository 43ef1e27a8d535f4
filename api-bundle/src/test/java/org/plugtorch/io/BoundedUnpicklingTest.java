package org.plugtorch.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.ThrowingSupplier;
import org.junit.jupiter.api.io.TempDir;

/**
 * Structured attacks on the unpickler: a few bytes that reach the same objects again through the memo, so that
 * hashing, comparing or copying them costs far more than the file. Each is opened (or refused) with work and memory
 * bounded by its size. The assertions are on what the reader does (one key for equal keys, a refusal, a heap it fits
 * in); before the fix these ran for hours or ran out of memory, and the build's fork timeout (not these tests)
 * stops such a hang.
 */
class BoundedUnpicklingTest {
    @TempDir
    Path dir;

    private static <T> T call(ThrowingSupplier<T> work) {
        try {
            return work.get();
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable e) {
            throw new AssertionError(e);
        }
    }

    private Path file(String name, byte[] pickle, int... storageFloats) throws IOException {
        return Files.write(
                dir.resolve(name),
                TorchZipBytes.stateDict(pickle, storageFloats).bytes());
    }

    private static String le32(int v) {
        return new String(
                new byte[] {(byte) v, (byte) (v >> 8), (byte) (v >> 16), (byte) (v >> 24)},
                StandardCharsets.ISO_8859_1);
    }

    /** Pushes t_levels where t_0 = (1,), t_i = (t_{i-1}, t_{i-1}): 2^levels leaves, 20 bytes a level. */
    private static PickleBytes dag(PickleBytes b, int levels, int memoBase) {
        b.integer(1).op(0x85).op('r').ops(le32(memoBase)).op('0');
        for (int i = 1; i <= levels; i++) {
            b.op('j')
                    .ops(le32(memoBase + i - 1))
                    .op('j')
                    .ops(le32(memoBase + i - 1))
                    .op(0x86)
                    .op('r')
                    .ops(le32(memoBase + i))
                    .op('0');
        }
        return b.op('j').ops(le32(memoBase + levels));
    }

    @Test
    void aTupleDagAsADictKeyIsNeverWalked() throws IOException {
        // {t_60: w}: hashing t_60 by content is 2^60 steps
        PickleBytes p = PickleBytes.protocol2().op('}');
        dag(p, 60, 0)
                .tensor("FloatStorage", "0", 1, 0, new long[] {1}, new long[] {1})
                .op('s')
                .op('.');
        Path f = file("dag.pt", p.bytes(), 1);
        List<TensorEntry> entries = call(() -> {
            try (Checkpoint c = Checkpoints.open(f)) {
                return c.entries();
            }
        });
        assertEquals("tuple", entries.get(0).name());
    }

    @Test
    void equalDagsBuiltApartAreOneKey() throws IOException {
        // two DAGs equal as values, made separately: comparing them by content is 2^60 steps; they are one key
        PickleBytes p = PickleBytes.protocol2().op('}');
        dag(p, 60, 0)
                .tensor("FloatStorage", "0", 1, 0, new long[] {1}, new long[] {1})
                .op('s');
        dag(p, 60, 100)
                .tensor("FloatStorage", "0", 1, 0, new long[] {1}, new long[] {1})
                .op('s')
                .op('.');
        Path f = file("dags.pt", p.bytes(), 1);
        assertEquals(1, call(() -> {
            try (Checkpoint c = Checkpoints.open(f)) {
                return c.entries().size();
            }
        }));
        Canonical canonical = new Canonical();
        PyTuple one = canonical.tuple(new Object[] {canonical.of(1)}, 100);
        PyTuple a = canonical.tuple(new Object[] {one, one}, 100);
        PyTuple b = canonical.tuple(new Object[] {canonical.tuple(new Object[] {canonical.of(1)}, 100), one}, 100);
        assertTrue(a == b, "equal hashable tuples are one object");
    }

    @Test
    void longEqualOrCollidingKeysCompareInConstantTime() throws IOException {
        // keys of 2 MiB: two equal strings made apart, and two whose hashes collide ("Aa" and "BB" hash alike),
        // set again and again for 3 bytes each; comparing contents would be 2 MiB a time
        int half = 1 << 20;
        String equal = "x".repeat(2 * half);
        String collideA = "Aa".repeat(half - 1) + "Aa";
        String collideB = "Aa".repeat(half - 1) + "BB";
        assertEquals(collideA.hashCode(), collideB.hashCode());
        PickleBytes p = PickleBytes.protocol2().op('}').op('}');
        p.string(equal).op('q').op(0).op('0').string(equal).op('q').op(1).op('0');
        p.string(collideA).op('q').op(2).op('0').string(collideB).op('q').op(3).op('0');
        p.op('(');
        for (int i = 0; i < 2_000_000; i++) {
            p.op('h').op(i % 4).op('N');
        }
        p.op('u').op('0').op('.');
        assertEquals(0, call(() -> {
            try (Checkpoint c = Checkpoints.open(file("keys.pt", p.bytes()))) {
                return c.entries().size();
            }
        }));
    }

    @Test
    void buildKeepsItsStateInsteadOfCopyingIt() throws IOException {
        // an OrderedDict BUILT a million times with one dict of 20,000 attributes: 6 bytes a time, 20,000 copies
        PickleBytes p = PickleBytes.protocol2()
                .global("collections", "OrderedDict")
                .op(')')
                .op('R');
        p.op('}').op('(');
        for (int i = 0; i < 20_000; i++) {
            p.string("a" + i).op('N');
        }
        p.op('u').op('r').ops(le32(0)).op('0');
        for (int i = 0; i < 1_000_000; i++) {
            p.op('j').ops(le32(0)).op('b');
        }
        p.op('.');
        Path f = file("build.pt", p.bytes());
        assertEquals(0, call(() -> {
            try (Checkpoint c = Checkpoints.open(f)) {
                return c.entries().size();
            }
        }));
    }

    /** The pickle {@code n} bytes of {@code op}, after PROTO 2 and a None for MEMOIZE to store. */
    private static byte[] flood(int op, int n) {
        byte[] b = new byte[n + 4];
        b[0] = (byte) 0x80;
        b[1] = 2;
        b[2] = 'N';
        Arrays.fill(b, 3, 3 + n, (byte) op);
        b[3 + n] = '.';
        return b;
    }

    @Test
    void aPickleOfOneByteOpcodesFitsInAHeapOfAFewBytesPerByte() throws Exception {
        // 8 MiB of EMPTY_DICT or MEMOIZE: 66 and 75 bytes of heap per byte of pickle before (boxed memo keys, a
        // hash map entry each, a LinkedHashMap each); now at most about 24, so 256 MiB of heap is ample
        for (int op : new int[] {'}', 0x94}) {
            Path f = file("flood" + op + ".pt", flood(op, 8 << 20));
            String out = inJvmWithHeap("256m", f);
            assertTrue(out.startsWith("refused: " + f.getFileName() + ": "), out);
        }
    }

    private static String inJvmWithHeap(String heap, Path file) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx" + heap,
                "-XX:+UseSerialGC",
                "-cp",
                System.getProperty("java.class.path"),
                OpenProbe.class.getName(),
                file.toString()));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        assertEquals(0, p.waitFor(), "the probe's exit status (its output: " + out + ")");
        return out;
    }
}
