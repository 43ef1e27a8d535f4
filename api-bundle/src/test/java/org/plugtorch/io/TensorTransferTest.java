package org.plugtorch.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.plugtorch.DType;
import org.plugtorch.Device;
import org.plugtorch.Tensor;
import org.plugtorch.tck.ReferenceDevices;

/** Reading stored tensors into new and existing tensors, chunk by chunk, on any device. */
class TensorTransferTest {
    @TempDir
    Path dir;

    @BeforeAll
    static void devices() {
        ReferenceDevices.install();
    }

    private StoredTensor stored(Tensor t) throws IOException {
        Path file = dir.resolve("t.safetensors");
        Checkpoints.saveSafetensors(Map.of("t", t), null, file);
        return ((MappedCheckpoint) Checkpoints.open(file)).entry("t").stored();
    }

    @Test
    void chunksCrossBoundariesIntoEveryDevice() throws IOException {
        for (DType dtype : DType.values()) {
            Tensor source = Tensor.arange(23).sub(11L).to(dtype);
            StoredTensor s = stored(source);
            for (Device device : new Device[] {Device.CPU, ReferenceDevices.FAKE}) {
                Tensor fresh = new TensorTransfer(5).readNew(s, "t", device);
                assertEquals(device, fresh.device());
                assertEquals(dtype, fresh.dtype());
                assertArrayEquals(source.toDoubleArray(), fresh.toDoubleArray(), dtype + " on " + device);
                Tensor target = Tensor.zeros(new long[] {23}, dtype, device);
                new TensorTransfer(4).copyInto(s, target);
                assertArrayEquals(source.toDoubleArray(), target.toDoubleArray(), dtype + " into " + device);
            }
        }
    }

    @Test
    void valuesConvertToTheTargetsDtype() throws IOException {
        StoredTensor s = stored(Tensor.of(0.1, 1e300, -2.5));
        Tensor target = Tensor.zeros(3);
        new TensorTransfer(2).copyInto(s, target);
        assertArrayEquals(new float[] {0.1f, Float.POSITIVE_INFINITY, -2.5f}, target.toFloatArray());
    }

    @Test
    void aNonContiguousTargetIsFilledInItsOwnLayout() throws IOException {
        StoredTensor s = stored(Tensor.arange(6).reshape(3, 2).to(DType.FLOAT32));
        Tensor base = Tensor.zeros(2, 3);
        Tensor target = base.t();
        new TensorTransfer(2).copyInto(s, target);
        assertArrayEquals(new float[] {0, 2, 4, 1, 3, 5}, base.toFloatArray());
    }
}
