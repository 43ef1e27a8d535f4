package org.plugtorch;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.plugtorch.internal.runtime.Shapes;
import org.plugtorch.tck.ReferenceDevices;

/**
 * In-place operations whose input shares part of the written memory are refused with PyTorch's text (its
 * {@code assert_no_partial_overlap}), before anything is written: a kernel may then read and write in any order.
 * Texts and values from PyTorch 1.13.
 */
class PartialOverlapTest {
    @BeforeAll
    static void devices() {
        ReferenceDevices.install();
    }

    private static Tensor range() {
        return Tensor.fromArray(new float[] {0, 1, 2, 3, 4, 5, 6, 7, 8, 9}, 10);
    }

    @Test
    void shiftedSliceOfTheSameTensorIsRefusedAndNothingChanges() {
        Tensor x = range();
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class, () -> x.narrow(0, 1, 9).add_(x.narrow(0, 0, 9)));
        assertEquals(
                "unsupported operation: some elements of the input tensor and the written-to tensor refer to "
                        + "a single memory location. Please clone() the tensor before performing the operation.",
                e.getMessage());
        assertArrayEquals(new float[] {0, 1, 2, 3, 4, 5, 6, 7, 8, 9}, x.toFloatArray());
        assertThrows(IllegalArgumentException.class, () -> x.narrow(0, 1, 9).copy_(x.narrow(0, 0, 9)));
        assertThrows(IllegalArgumentException.class, () -> x.view(2, 5).add_(x.narrow(0, 0, 5)));
    }

    @Test
    void theSameMemoryOrLayoutsTooHardToJudgeStayAllowed() {
        Tensor y = range();
        y.add_(y);
        assertArrayEquals(new float[] {0, 2, 4, 6, 8, 10, 12, 14, 16, 18}, y.toFloatArray());
        Tensor z = range().view(5, 2);
        // every other element against the ones between: strided, not dense, so PyTorch does not judge either
        z.select(1, 0).add_(z.select(1, 1));
        assertArrayEquals(
                new float[] {1, 1, 5, 3, 9, 5, 13, 7, 17, 9}, z.reshape(10).toFloatArray());
        Tensor w = range().view(2, 5);
        w.narrow(0, 0, 1).add_(w.narrow(0, 1, 1));
        assertArrayEquals(
                new float[] {5, 7, 9, 11, 13, 5, 6, 7, 8, 9}, w.reshape(10).toFloatArray());
    }

    @Test
    void denseMeansSomeOrderOfTheDimensionsIsContiguous() {
        assertEquals(true, Shapes.isNonOverlappingAndDense(new long[] {3, 4}, new long[] {1, 3}));
        assertEquals(false, Shapes.isNonOverlappingAndDense(new long[] {3, 4}, new long[] {8, 2}));
        assertEquals(false, Shapes.isNonOverlappingAndDense(new long[] {3, 4}, new long[] {0, 1}));
        assertEquals(true, Shapes.isNonOverlappingAndDense(new long[] {3, 1, 4}, new long[] {4, 99, 1}));
    }
}
