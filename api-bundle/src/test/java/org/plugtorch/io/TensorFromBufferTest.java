package org.plugtorch.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.plugtorch.DType;
import org.plugtorch.Device;
import org.plugtorch.Tensor;
import org.plugtorch.tck.ReferenceDevices;

/** Tensor.fromBuffer, the single-copy path the checkpoint readers take from mapped file bytes. */
class TensorFromBufferTest {
    @BeforeAll
    static void devices() {
        ReferenceDevices.install();
    }

    @Test
    void readsEveryDtypeInTheBuffersByteOrderFromItsPosition() {
        for (ByteOrder order : new ByteOrder[] {ByteOrder.LITTLE_ENDIAN, ByteOrder.BIG_ENDIAN}) {
            ByteBuffer b = ByteBuffer.allocateDirect(3 + 6 * 8).order(order);
            b.position(3);
            b.slice().order(order).asFloatBuffer().put(new float[] {1.5f, -2f, 3e-3f, 4f, 5f, Float.NaN});
            Tensor f = Tensor.fromBuffer(b.slice().order(order).limit(24), DType.FLOAT32, 2, 3);
            assertEquals(DType.FLOAT32, f.dtype());
            assertEquals(Device.CPU, f.device());
            assertArrayEquals(new long[] {2, 3}, f.shape());
            assertArrayEquals(new float[] {1.5f, -2f, 3e-3f, 4f, 5f, Float.NaN}, f.toFloatArray(), order.toString());
            assertEquals(3, b.position(), "the buffer's position is unchanged");

            ByteBuffer d = ByteBuffer.allocate(16).order(order);
            d.asDoubleBuffer().put(new double[] {0.1, -1e300});
            assertArrayEquals(
                    new double[] {0.1, -1e300},
                    Tensor.fromBuffer(d, DType.FLOAT64, 2).toDoubleArray());
            ByteBuffer l = ByteBuffer.allocate(16).order(order);
            l.asLongBuffer().put(new long[] {Long.MIN_VALUE, 7});
            assertArrayEquals(
                    new long[] {Long.MIN_VALUE, 7},
                    Tensor.fromBuffer(l, DType.INT64, 2).toLongArray());
            ByteBuffer i = ByteBuffer.allocate(8).order(order);
            i.asIntBuffer().put(new int[] {-3, Integer.MAX_VALUE});
            assertArrayEquals(
                    new int[] {-3, Integer.MAX_VALUE},
                    Tensor.fromBuffer(i, DType.INT32, 2).toIntArray());
        }
    }

    @Test
    void boolBytesAreTrueWhenNotZero() {
        Tensor t = Tensor.fromBuffer(ByteBuffer.wrap(new byte[] {0, 1, 2, (byte) 0xff}), DType.BOOL, 4);
        assertArrayEquals(new boolean[] {false, true, true, true}, t.toBooleanArray());
        assertEquals(3, t.sum().itemLong(), "stored as 0/1");
    }

    @Test
    void aSizeMismatchNamesShapeDtypeAndBytes() {
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class, () -> Tensor.fromBuffer(ByteBuffer.allocate(10), DType.FLOAT32, 2, 2));
        assertEquals("shape '[2, 2]' of torch.float32 needs 16 bytes, but the buffer holds 10", e.getMessage());
    }

    @Test
    void theTensorOwnsItsCopy() {
        ByteBuffer b = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putFloat(0, 2f);
        Tensor t = Tensor.fromBuffer(b, DType.FLOAT32);
        b.putFloat(0, 9f);
        assertEquals(2.0, t.item());
    }
}
