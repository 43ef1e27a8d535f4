package org.plugtorch.spi;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Coalescing: what merges, in what order, and that the elements visited are the ones the operands address. */
class IterationSpaceTest {
    @Test
    void contiguousOperandsOfAnyRankBecomeOneUnitStrideDimension() {
        IterationSpace s = IterationSpace.inOrder(new long[] {2, 3, 4}, new long[] {12, 4, 1}, new long[] {12, 4, 1});
        assertArrayEquals(new long[] {24}, s.shape());
        assertArrayEquals(new long[] {1}, s.strides(0));
        assertArrayEquals(new long[] {1}, s.strides(1));
        assertEquals(24, s.numel());
        assertTrue(s.isUnitStride());
    }

    @Test
    void aBroadcastOperandKeepsItsDimensionApart() {
        IterationSpace s = IterationSpace.inOrder(new long[] {5, 4}, new long[] {4, 1}, new long[] {0, 1});
        assertArrayEquals(new long[] {5, 4}, s.shape());
        assertArrayEquals(new long[] {0, 1}, s.strides(1));
        assertFalse(s.isUnitStride());
    }

    @Test
    void sizeOneDimensionsDropWhateverTheirStrideAndBroadcastsMergeWithEachOther() {
        IterationSpace s =
                IterationSpace.anyOrder(new long[] {1, 3, 1, 4}, new long[] {12, 4, 4, 1}, new long[] {99, 0, 7, 0});
        assertArrayEquals(new long[] {12}, s.shape(), "a full broadcast steps through everything as one run");
        assertArrayEquals(new long[] {0}, s.strides(1));
    }

    @Test
    void inOrderATransposeDoesNotMerge() {
        IterationSpace s = IterationSpace.inOrder(new long[] {3, 4}, new long[] {1, 3});
        assertArrayEquals(new long[] {3, 4}, s.shape());
        assertArrayEquals(new long[] {1, 3}, s.strides(0));
    }

    @Test
    void anyOrderFollowsTheFirstOperandsStrides() {
        IterationSpace s = IterationSpace.anyOrder(new long[] {3, 5}, new long[] {1, 3}, new long[] {5, 1});
        assertArrayEquals(new long[] {5, 3}, s.shape(), "the destination's fastest dimension is innermost");
        assertArrayEquals(new long[] {3, 1}, s.strides(0));
        assertArrayEquals(new long[] {1, 5}, s.strides(1));
        IterationSpace permuted = IterationSpace.anyOrder(new long[] {2, 3, 4}, new long[] {1, 8, 2});
        assertArrayEquals(new long[] {24}, permuted.shape(), "a permuted dense destination is one run");
        assertArrayEquals(new long[] {1}, permuted.strides(0));
        IterationSpace reversed = IterationSpace.anyOrder(new long[] {2, 3}, new long[] {-3, -1});
        assertArrayEquals(new long[] {6}, reversed.shape(), "negative strides merge as well");
        assertArrayEquals(new long[] {-1}, reversed.strides(0));
        assertFalse(reversed.isUnitStride());
    }

    @Test
    void anyOrderBreaksTiesWithTheNextOperandThenKeepsTheOriginalOrder() {
        IterationSpace s = IterationSpace.anyOrder(new long[] {2, 3}, new long[] {0, 0}, new long[] {1, 3});
        assertArrayEquals(new long[] {3, 2}, s.shape());
        assertArrayEquals(new long[] {3, 1}, s.strides(1));
        IterationSpace merged = IterationSpace.anyOrder(new long[] {2, 3}, new long[] {0, 0}, new long[] {1, 2});
        assertArrayEquals(new long[] {6}, merged.shape(), "the second operand, ordered, is dense");
        IterationSpace tied = IterationSpace.anyOrder(new long[] {2, 3}, new long[] {0, 0}, new long[] {0, 0});
        assertArrayEquals(new long[] {6}, tied.shape());
    }

    @Test
    void aSingleElementHasNoDimensionsAndAnEmptyShapeNoElements() {
        IterationSpace one = IterationSpace.inOrder(new long[] {1, 1}, new long[] {5, 5});
        assertEquals(0, one.rank());
        assertEquals(1, one.numel());
        assertTrue(one.isUnitStride());
        IterationSpace scalar = IterationSpace.anyOrder(new long[0], new long[0], new long[0]);
        assertEquals(0, scalar.rank());
        assertEquals(2, scalar.operands());
        assertEquals(1, scalar.numel());
        IterationSpace empty = IterationSpace.anyOrder(new long[] {3, 0, 2}, new long[] {2, 2, 1});
        assertEquals(0, empty.numel());
    }

    @Test
    void aMergedDimensionStaysWithinTheLimitGiven() {
        long[] shape = {1 << 20, 1 << 20};
        long[] broadcast = {0, 0};
        IterationSpace ints = IterationSpace.coalesce(shape, new long[][] {broadcast}, false, Integer.MAX_VALUE);
        assertArrayEquals(shape, ints.shape(), "2^40 elements do not count in an int");
        assertEquals(1L << 40, ints.numel());
        IterationSpace longs = IterationSpace.coalesce(shape, new long[][] {broadcast}, false, Long.MAX_VALUE);
        assertArrayEquals(new long[] {1L << 40}, longs.shape());
    }

    @Test
    void operandsOfAnotherRankAreRefused() {
        assertThrows(
                IllegalArgumentException.class,
                () -> IterationSpace.inOrder(new long[] {2, 3}, new long[] {3, 1}, new long[] {1}));
    }

    /** Each element is visited once, with the same element of every operand beside it, whatever merged. */
    @Test
    void theSpaceVisitsTheSameElementsAsTheOperands() {
        long[] shape = {2, 1, 3, 4};
        long[][] strides = {{12, 99, 4, 1}, {1, 0, 8, 2}, {0, 5, 0, 1}};
        List<String> expected = visits(shape, strides);
        for (boolean anyOrder : new boolean[] {false, true}) {
            IterationSpace s = IterationSpace.coalesce(shape, strides, anyOrder, Long.MAX_VALUE);
            long[][] coalesced = new long[s.operands()][];
            for (int k = 0; k < coalesced.length; k++) {
                coalesced[k] = s.strides(k);
            }
            assertEquals(expected, visits(s.shape(), coalesced), "anyOrder " + anyOrder);
        }
    }

    /** For each index, the element address of every operand; sorted, since the order of visits may change. */
    private static List<String> visits(long[] shape, long[][] strides) {
        List<String> out = new ArrayList<>();
        long[] idx = new long[shape.length];
        do {
            StringBuilder tuple = new StringBuilder();
            for (long[] s : strides) {
                long at = 0;
                for (int d = 0; d < idx.length; d++) {
                    at += idx[d] * s[d];
                }
                tuple.append(at).append(' ');
            }
            out.add(tuple.toString());
        } while (IterationSpace.next(idx, shape));
        out.sort(null);
        return out;
    }

    @Test
    void nextVisitsEveryIndexOnceInRowMajorOrder() {
        long[] shape = {2, 3};
        long[] idx = new long[2];
        List<String> seen = new ArrayList<>();
        do {
            seen.add(idx[0] + "," + idx[1]);
        } while (IterationSpace.next(idx, shape));
        assertEquals(List.of("0,0", "0,1", "0,2", "1,0", "1,1", "1,2"), seen);
        assertArrayEquals(new long[] {0, 0}, idx, "back at the start");
        assertFalse(IterationSpace.next(new long[0], new long[0]), "a rank-0 shape has one index");
    }
}
