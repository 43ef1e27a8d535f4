package org.plugtorch;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.plugtorch.internal.runtime.Shapes;
import org.plugtorch.tck.ReferenceDevices;

/**
 * Shapes whose element count overflows are refused where the tensor would be made, as PyTorch refuses them, with
 * its texts (recorded from PyTorch 1.13): a wrapped count would make a tensor of a few elements, or of none.
 */
class ShapeOverflowTest {
    private static final long BIG = (1L << 62) + 1;

    @BeforeAll
    static void devices() {
        ReferenceDevices.install();
    }

    private static String error(Executable call) {
        return assertThrows(IllegalArgumentException.class, call).getMessage();
    }

    @Test
    void everyFactoryRefusesAnOverflowingShape() {
        String text = "Storage size calculation overflowed with sizes=[4611686018427387905, 4]";
        long[] shape = {BIG, 4};
        assertEquals(text, error(() -> Tensor.zeros(shape)));
        assertEquals(text, error(() -> Tensor.empty(shape)));
        assertEquals(text, error(() -> Tensor.ones(shape)));
        assertEquals(text, error(() -> Tensor.full(shape, 2.0)));
        assertEquals(text, error(() -> Tensor.rand(shape)));
        assertEquals(text, error(() -> Tensor.randn(shape)));
        assertEquals(text, error(() -> Tensor.zeros(shape, DType.INT64, ReferenceDevices.FAKE)));
        // a wrapped count would equal the array's length and be accepted
        assertEquals(text, error(() -> Tensor.fromArray(new float[4], shape)));
        assertEquals(text, error(() -> Tensor.fromBuffer(java.nio.ByteBuffer.allocate(16), DType.FLOAT32, shape)));
    }

    @Test
    void theCountOverflowsAsPyTorchCountsIt() {
        // the running product may not pass 2^64 - 1 even when a later size is 0 ...
        assertEquals(
                "Storage size calculation overflowed with sizes=[4611686018427387904, 4, 0]",
                error(() -> Tensor.zeros(1L << 62, 4, 0)));
        // ... and may reach it below that: PyTorch makes this empty tensor
        assertEquals(0, Tensor.zeros(Long.MAX_VALUE, 2, 0).numel());
        assertEquals(1L << 62, Shapes.checkedNumel(new long[] {1L << 31, 1L << 31}));
        assertEquals(-1, Shapes.checkedNumel(new long[] {1L << 32, 1L << 31}));
        assertEquals(Long.MAX_VALUE, Shapes.checkedNumel(new long[] {Long.MAX_VALUE, 1}));
        assertEquals(-1, Shapes.checkedNumel(new long[] {1L << 63 >>> 1, 2}));
    }

    @Test
    void expandRefusesAViewOfMoreElementsThanALongCounts() {
        String text = "numel: integer multiplication overflow";
        assertEquals(text, error(() -> Tensor.ones(1).expand(1L << 32, 1L << 32)));
        Tensor onDevice = Tensor.ones(1).to(ReferenceDevices.FAKE);
        // wrapped, this view had 0 elements and summed to 0.0 on a device
        assertEquals(text, error(() -> onDevice.expand(1L << 32, 1L << 32)));
        assertEquals(text, error(() -> Tensor.ones(1).expand(-2)));
        Tensor wide = Tensor.ones(1).expand(1L << 31, 1L << 31);
        assertEquals(1L << 62, wide.numel());
        assertArrayEquals(new long[] {0, 0}, wide.stride());
    }

    @Test
    void viewAndReshapeRefuseSizesWhoseProductWraps() {
        Tensor four = Tensor.ones(4);
        assertEquals("shape '[4611686018427387905, 4]' is invalid for input of size 4", error(() -> four.view(BIG, 4)));
        assertEquals(
                "shape '[4611686018427387905, 4]' is invalid for input of size 4", error(() -> four.reshape(BIG, 4)));
        assertEquals(
                "shape '[-1, 4611686018427387904, 4]' is invalid for input of size 4",
                error(() -> four.view(-1, 1L << 62, 4)));
        assertArrayEquals(new long[] {2, 2}, four.view(-1, 2).shape());
    }
}
