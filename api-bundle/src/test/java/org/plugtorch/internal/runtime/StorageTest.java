package org.plugtorch.internal.runtime;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.plugtorch.DType;
import org.plugtorch.Device;
import org.plugtorch.Tensor;
import org.plugtorch.tck.ReferenceDevices;

/** A storage can be re-homed with every view following and no tensor object changing. */
class StorageTest {

    @BeforeAll
    static void devices() {
        ReferenceDevices.install();
    }

    @Test
    void reHomingMovesEveryViewAndKeepsTheObjects() {
        Tensor base = Tensor.arange(6).view(2, 3).to(DType.FLOAT32);
        Tensor column = base.select(1, 2);
        Tensor transposed = base.t();
        Tensors.impl(base).storage.moveTo(ReferenceDevices.FAKE);
        assertEquals(ReferenceDevices.FAKE, base.device());
        assertEquals(ReferenceDevices.FAKE, column.device());
        assertEquals(ReferenceDevices.FAKE, transposed.device());
        assertArrayEquals(new float[] {2, 5}, column.toFloatArray());
        column.fill_(9.0);
        assertArrayEquals(new float[] {0, 1, 9, 3, 4, 9}, base.toFloatArray());
        Tensors.impl(base).storage.moveTo(Device.CPU);
        assertArrayEquals(
                new float[] {0, 3, 1, 4, 9, 9}, transposed.contiguous().toFloatArray());
        assertEquals(Device.CPU, transposed.device());
    }

    @Test
    void aFailedReHomingLeavesTheStorageWhereItWas() {
        Tensor t = Tensor.ones(3);
        assertThrows(IllegalStateException.class, () -> Tensors.impl(t).storage.moveTo(Device.parse("absent:0")));
        assertEquals(Device.CPU, t.device());
        assertTrue(t.equal(Tensor.ones(3)));
    }
}
