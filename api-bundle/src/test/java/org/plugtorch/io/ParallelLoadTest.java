package org.plugtorch.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.plugtorch.DType;
import org.plugtorch.Tensor;
import org.plugtorch.tck.ReferenceDevices;

/** A load large enough to be read by several threads gives every tensor, in the file's order, exactly. */
class ParallelLoadTest {
    @TempDir
    Path dir;

    @BeforeAll
    static void devices() {
        ReferenceDevices.install();
    }

    @Test
    void aLargeLoadIsExactAndInOrder() throws IOException {
        Map<String, Tensor> saved = new LinkedHashMap<>();
        long bytes = 0;
        for (int i = 0; bytes < 2 * ParallelReads.PARALLEL_BYTES; i++) {
            DType dtype = DType.values()[i % DType.values().length];
            Tensor t = Tensor.arange(300_000 + i).sub((long) (i * 1000)).to(dtype);
            saved.put("t" + i, t);
            bytes += t.numel() * dtype.byteSize();
        }
        Path file = dir.resolve("large.safetensors");
        Checkpoints.saveSafetensors(saved, null, file);
        LinkedHashMap<String, Tensor> loaded = Checkpoints.load(file, LoadOptions.defaults());
        List<String> fileOrder = new ArrayList<>();
        try (Checkpoint c = Checkpoints.open(file)) {
            c.entries().forEach(e -> fileOrder.add(e.name()));
        }
        assertEquals(saved.keySet(), loaded.keySet());
        assertEquals(fileOrder, new ArrayList<>(loaded.keySet()));
        for (Map.Entry<String, Tensor> e : saved.entrySet()) {
            Tensor t = loaded.get(e.getKey());
            assertEquals(e.getValue().dtype(), t.dtype(), e.getKey());
            assertArrayEquals(e.getValue().shape(), t.shape(), e.getKey());
            assertTrue(e.getValue().equal(t), e.getKey());
        }
        List<ParallelReads.Read> none = List.of();
        assertEquals(0, ParallelReads.run(none, 1L << 30).length);
    }
}
