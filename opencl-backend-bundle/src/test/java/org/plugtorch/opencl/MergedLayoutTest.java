package org.plugtorch.opencl;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Merging dimensions: a kernel pays one division per dimension that is left. */
class MergedLayoutTest {
    @Test
    void contiguousOperandsOfAnyRankBecomeOneDimension() {
        MergedLayout m = MergedLayout.of(new long[] {2, 3, 4}, new long[] {12, 4, 1}, new long[] {12, 4, 1});
        assertArrayEquals(new long[] {24}, m.shape);
        assertArrayEquals(new long[] {1}, m.strides[0]);
        assertTrue(m.allUnitStride());
    }

    @Test
    void aBroadcastOperandKeepsItsDimensionApart() {
        MergedLayout m = MergedLayout.of(new long[] {5, 4}, new long[] {4, 1}, new long[] {0, 1});
        assertArrayEquals(new long[] {5, 4}, m.shape);
        assertArrayEquals(new long[] {0, 1}, m.strides[1]);
        assertFalse(m.allUnitStride());
    }

    @Test
    void sizeOneDimensionsDropWhateverTheirStride() {
        MergedLayout m = MergedLayout.of(new long[] {1, 6, 1}, new long[] {999, 1, 77});
        assertArrayEquals(new long[] {6}, m.shape);
        assertEquals(1, m.strides[0][0]);
    }

    @Test
    void aTransposeDoesNotMerge() {
        MergedLayout m = MergedLayout.of(new long[] {3, 4}, new long[] {1, 3});
        assertArrayEquals(new long[] {3, 4}, m.shape);
        assertArrayEquals(new long[] {1, 3}, m.strides[0]);
    }

    @Test
    void aSingleElementHasNoDimensions() {
        MergedLayout m = MergedLayout.of(new long[] {1, 1}, new long[] {5, 5});
        assertEquals(0, m.rank());
        assertEquals(1, m.numel());
        assertTrue(m.allUnitStride());
    }
}
