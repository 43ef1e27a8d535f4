package org.plugtorch.io;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.plugtorch.tck.ReferenceDevices;

/**
 * Mutates valid checkpoints (bit flips, boundary values, truncation, insertion, deletion, duplication; for torch
 * files also inside data.pkl with the archive rebuilt around it, so that the unpickler and not the CRC sees the
 * damage) and opens, reads and describes every mutant. Each must either load or be refused with a
 * {@link CheckpointFormatException} (or IllegalArgumentException) that names the file; any other exception or error
 * (a crash, exhausted memory or stack, a slow mutant) fails the test with the seed to reproduce it.
 * {@code -Dplugtorch.fuzz.mutants=N} sets the count (default 10,000). Structured attacks (shared structure, huge
 * views, numbers at a long's edge) run the same way.
 */
class CheckpointFuzzTest {
    private static final int MUTANTS = Integer.getInteger("plugtorch.fuzz.mutants", 10_000);
    private static final long SEED = Long.getLong("plugtorch.fuzz.seed", 20261128L);
    /** A mutant that takes this long is a hang as far as the test is concerned. */
    private static final long SLOW_NANOS = 2_000_000_000L;

    private static final String[] SEEDS = {
        "seed.safetensors",
        "dtypes.safetensors",
        "mlp.safetensors",
        "half.safetensors",
        "tied.safetensors",
        "seed.pt",
        "views.pt",
        "tied.pt",
        "protocol1.pt",
        "protocol4.pt",
        "protocol5.pt",
        "training.pt",
        "dtypes.pt",
        "malicious.pt"
    };
    private static final long[] INTERESTING = {
        0,
        1,
        -1,
        0x7f,
        0x80,
        0xff,
        0x7fff,
        0xffff,
        Integer.MAX_VALUE,
        Integer.MIN_VALUE,
        0xffffffffL,
        Long.MAX_VALUE,
        Long.MIN_VALUE,
        100_000_001L,
        1L << 32,
        1L << 62
    };

    @TempDir
    Path dir;

    @BeforeAll
    static void devices() {
        ReferenceDevices.install();
    }

    @Test
    void mutantsLoadOrFailWithAClearErrorAndNothingElse() throws IOException {
        Random random = new Random(SEED);
        List<byte[]> files = new ArrayList<>();
        List<String> names = new ArrayList<>();
        for (String s : SEEDS) {
            files.add(Files.readAllBytes(CheckpointFixtures.file(s)));
            names.add(s);
        }
        int loaded = 0;
        int refused = 0;
        long slowest = 0;
        long start = System.nanoTime();
        for (int i = 0; i < MUTANTS; i++) {
            int which = random.nextInt(files.size());
            long mutantSeed = random.nextLong();
            byte[] mutant = mutate(files.get(which), names.get(which), new Random(mutantSeed));
            Path file = dir.resolve("mutant" + (i % 2) + (names.get(which).endsWith(".pt") ? ".pt" : ".safetensors"));
            Files.write(file, mutant);
            long t0 = System.nanoTime();
            try {
                exercise(file);
                loaded++;
            } catch (CheckpointFormatException e) {
                assertTrue(
                        e.getMessage() != null && e.getMessage().startsWith(file.getFileName() + ": "),
                        () -> report(names, which, mutantSeed, mutant, "an error that does not name the file: " + e));
                refused++;
            } catch (IllegalArgumentException e) {
                assertTrue(
                        e.getMessage() != null && !e.getMessage().isEmpty(),
                        () -> report(names, which, mutantSeed, mutant, "an unexplained error: " + e));
                refused++;
            } catch (Throwable e) {
                fail(report(names, which, mutantSeed, mutant, "threw " + e), e);
            }
            long took = System.nanoTime() - t0;
            slowest = Math.max(slowest, took);
            if (took > SLOW_NANOS) {
                fail(report(names, which, mutantSeed, mutant, "took " + took / 1_000_000 + " ms"));
            }
        }
        assertFalse(Files.exists(Path.of("plugtorch-malicious-fixture-ran")), "a mutant ran the malicious command");
        System.out.printf(
                "fuzz: %d mutants in %.1f s: %d loaded, %d refused with a clear error; slowest %.1f ms%n",
                MUTANTS, (System.nanoTime() - start) / 1e9, loaded, refused, slowest / 1e6);
        assertTrue(loaded + refused == MUTANTS);
    }

    /**
     * Structured attacks ({@link StructuredAttacks}): each kind with random sizes, held to the same rules as the
     * mutants: loaded, or refused with an error that names the file, within the same time and no other outcome
     * (an exhausted heap or stack included). {@code -Dplugtorch.fuzz.attacks=N} sets the count (default 200).
     */
    @Test
    void structuredAttacksLoadOrFailWithAClearErrorAndNothingElse() throws IOException {
        Random random = new Random(SEED + 1);
        int count = Integer.getInteger("plugtorch.fuzz.attacks", 200);
        List<String> kinds = List.of(StructuredAttacks.KINDS);
        int loaded = 0;
        int refused = 0;
        long slowest = 0;
        for (int i = 0; i < count; i++) {
            int kind = i % kinds.size();
            long attackSeed = random.nextLong();
            byte[] attack = StructuredAttacks.make(kind, new Random(attackSeed));
            Path file = dir.resolve("attack" + (i % 2) + StructuredAttacks.suffix(kind));
            Files.write(file, attack);
            long t0 = System.nanoTime();
            try {
                exercise(file);
                loaded++;
            } catch (CheckpointFormatException e) {
                assertTrue(
                        e.getMessage() != null && e.getMessage().startsWith(file.getFileName() + ": "),
                        () -> report(kinds, kind, attackSeed, attack, "an error that does not name the file: " + e));
                refused++;
            } catch (IllegalArgumentException e) {
                assertTrue(
                        e.getMessage() != null && !e.getMessage().isEmpty(),
                        () -> report(kinds, kind, attackSeed, attack, "an unexplained error: " + e));
                refused++;
            } catch (Throwable e) {
                fail(report(kinds, kind, attackSeed, attack, "threw " + e), e);
            }
            long took = System.nanoTime() - t0;
            slowest = Math.max(slowest, took);
            if (took > SLOW_NANOS) {
                fail(report(kinds, kind, attackSeed, attack, "took " + took / 1_000_000 + " ms"));
            }
        }
        System.out.printf(
                "structured attacks: %d (%d kinds): %d loaded, %d refused with a clear error; slowest %.1f ms%n",
                count, kinds.size(), loaded, refused, slowest / 1e6);
        assertTrue(loaded + refused == count);
    }

    private String report(List<String> names, int which, long seed, byte[] mutant, String what) {
        Path saved = Path.of("target", "fuzz-failure-" + names.get(which) + "-" + seed);
        try {
            Files.createDirectories(saved.getParent());
            Files.write(saved, mutant);
        } catch (IOException e) {
            saved = null;
        }
        return "mutant of " + names.get(which) + " (mutant seed " + seed + ", saved as " + saved + ") " + what;
    }

    /** Everything a user does with a file: open, list, describe, read all (half precision widened). */
    private static void exercise(Path file) throws IOException {
        try (Checkpoint c = Checkpoints.open(file)) {
            for (TensorEntry e : c.entries()) {
                e.toString();
            }
            c.metadata().forEach((k, v) -> {});
            CheckpointDescription.of(c);
            c.readAll(LoadOptions.defaults().widenHalfPrecision(true));
        }
    }

    private static byte[] mutate(byte[] original, String name, Random r) throws IOException {
        if (name.endsWith(".pt") && r.nextInt(3) > 0) {
            Map<String, byte[]> records = unzip(name);
            String pickle = records.keySet().stream()
                    .filter(k -> k.endsWith("data.pkl"))
                    .findFirst()
                    .orElseThrow();
            records.put(pickle, mutateBytes(records.get(pickle), 0, r));
            TorchZipBytes z = new TorchZipBytes();
            records.forEach(z::record);
            return z.bytes();
        }
        int focus = name.endsWith(".safetensors") ? headerEnd(original) : original.length;
        return mutateBytes(original, focus, r);
    }

    /** One to four mutations, mostly within the first {@code focus} bytes (the header) when focus is set. */
    private static byte[] mutateBytes(byte[] in, int focus, Random r) {
        byte[] b = in.clone();
        int rounds = 1 + r.nextInt(4);
        for (int k = 0; k < rounds && b.length > 0; k++) {
            int limit = focus > 0 && r.nextInt(4) > 0 ? Math.min(focus, b.length) : b.length;
            int at = r.nextInt(limit);
            switch (r.nextInt(7)) {
                case 0:
                    b[at] ^= (byte) (1 << r.nextInt(8));
                    break;
                case 1:
                    b[at] = (byte) INTERESTING[r.nextInt(INTERESTING.length)];
                    break;
                case 2: {
                    if (at + 8 <= b.length) {
                        ByteBuffer.wrap(b, at, 8)
                                .order(ByteOrder.LITTLE_ENDIAN)
                                .putLong(INTERESTING[r.nextInt(INTERESTING.length)]);
                    }
                    break;
                }
                case 3:
                    b = java.util.Arrays.copyOf(b, at);
                    break;
                case 4: {
                    byte[] extra = new byte[1 + r.nextInt(16)];
                    r.nextBytes(extra);
                    b = splice(b, at, 0, extra);
                    break;
                }
                case 5:
                    b = splice(b, at, Math.min(b.length - at, 1 + r.nextInt(16)), new byte[0]);
                    break;
                default: {
                    int len = Math.min(b.length - at, 1 + r.nextInt(32));
                    b = splice(b, r.nextInt(b.length), 0, java.util.Arrays.copyOfRange(b, at, at + len));
                }
            }
        }
        return b;
    }

    private static byte[] splice(byte[] b, int at, int remove, byte[] insert) {
        byte[] out = new byte[b.length - remove + insert.length];
        System.arraycopy(b, 0, out, 0, at);
        System.arraycopy(insert, 0, out, at, insert.length);
        System.arraycopy(b, at + remove, out, at + insert.length, b.length - at - remove);
        return out;
    }

    private static int headerEnd(byte[] file) {
        long n = ByteBuffer.wrap(file, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
        return (int) Math.min(file.length, 8 + n);
    }

    private static final Map<String, Map<String, byte[]>> RECORDS = new java.util.HashMap<>();

    /** The records of a seed archive, read once through its central directory (torch.save's records stream-ZIP). */
    private static Map<String, byte[]> unzip(String name) throws IOException {
        Map<String, byte[]> cached = RECORDS.get(name);
        if (cached == null) {
            cached = new LinkedHashMap<>();
            try (ZipFile zip = new ZipFile(CheckpointFixtures.file(name).toFile())) {
                for (ZipEntry e : java.util.Collections.list(zip.entries())) {
                    cached.put(e.getName(), zip.getInputStream(e).readAllBytes());
                }
            }
            RECORDS.put(name, cached);
        }
        return new LinkedHashMap<>(cached);
    }
}
