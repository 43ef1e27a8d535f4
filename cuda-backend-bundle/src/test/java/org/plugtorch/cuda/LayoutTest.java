package org.plugtorch.cuda;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.plugtorch.DType;
import org.plugtorch.spi.HostBuffer;
import org.plugtorch.spi.IterationSpace;
import org.plugtorch.spi.Operand;

/** How operands are simplified for the kernels: what merges, what order, and how oversized layouts are split. */
class LayoutTest {
    private static final HostBuffer BIG = HostBuffer.allocate(DType.FLOAT32, 1 << 16);

    private static Operand op(long offset, long[] shape, long[] strides) {
        return new Operand(BIG, offset, shape, strides);
    }

    @Test
    void contiguousOperandsBecomeOneDimension() {
        long[] shape = {2, 3, 4};
        StridedLayout l = StridedLayout.of(Operand.contiguous(BIG, shape), op(5, shape, new long[] {12, 4, 1}));
        assertArrayEquals(new long[] {24}, l.shape);
        assertArrayEquals(new long[] {1}, l.strides[0]);
        assertArrayEquals(new long[] {0, 5}, l.offsets);
    }

    @Test
    void extentOneDimensionsDisappearAndBroadcastsMergeWithEachOther() {
        long[] shape = {1, 3, 1, 4};
        StridedLayout l = StridedLayout.of(Operand.contiguous(BIG, shape), op(0, shape, new long[] {99, 0, 7, 0}));
        assertArrayEquals(new long[] {12}, l.shape, "a full broadcast steps through everything as one run");
        assertArrayEquals(new long[] {0}, l.strides[1]);
        StridedLayout rank0 = StridedLayout.of(op(3, new long[0], new long[0]));
        assertEquals(0, rank0.rank());
        assertEquals(1, rank0.numel());
    }

    @Test
    void dimensionsFollowTheDestinationsStrides() {
        long[] shape = {3, 5};
        Operand transposedOut = op(0, shape, new long[] {1, 3});
        StridedLayout l = StridedLayout.of(transposedOut, Operand.contiguous(BIG, shape));
        assertArrayEquals(new long[] {5, 3}, l.shape, "the destination's fastest dimension is innermost");
        assertArrayEquals(new long[] {3, 1}, l.strides[0]);
        assertArrayEquals(new long[] {1, 5}, l.strides[1]);
    }

    @Test
    void layoutsAboveEightDimensionsAreSplitIntoLaunchesThatCoverEveryElementOnce() {
        long[] shape = {2, 3, 2, 2, 2, 2, 2, 2, 2, 2};
        long[] strides = new long[shape.length];
        long s = 1;
        for (int d = shape.length - 1; d >= 0; d--) {
            strides[d] = s * 2; // every other element: nothing merges
            s *= shape[d] * 2;
        }
        StridedLayout l = StridedLayout.of(op(1, shape, strides));
        assertEquals(10, l.rank());
        List<StridedLayout> parts = l.split(8);
        assertEquals(6, parts.size());
        Set<Long> seen = new HashSet<>();
        for (StridedLayout p : parts) {
            assertEquals(8, p.rank());
            long[] idx = new long[8];
            do {
                long at = p.offsets[0];
                for (int d = 0; d < 8; d++) {
                    at += idx[d] * p.strides[0][d];
                }
                seen.add(at);
            } while (IterationSpace.next(idx, p.shape));
        }
        assertEquals(l.numel(), seen.size());
    }

    @Test
    void reductionsMergeKeptAndReducedDimensionsApartAndKeepTheReducedOrder() {
        Operand src = op(2, new long[] {4, 5, 6, 7}, new long[] {210, 42, 7, 1});
        Operand dst = op(0, new long[] {4, 5}, new long[] {5, 1});
        ReductionLayout l = ReductionLayout.of(dst, src);
        assertArrayEquals(new long[] {20}, l.outerShape);
        assertArrayEquals(new long[] {42}, l.innerShape);
        assertEquals(42, l.inner);
        Operand transposedSrc = op(0, new long[] {3, 4, 5}, new long[] {1, 3, 15});
        ReductionLayout t = ReductionLayout.of(op(0, new long[] {3}, new long[] {1}), transposedSrc);
        assertArrayEquals(new long[] {4, 5}, t.innerShape, "reduced dimensions keep their order for ARGMAX positions");
        assertArrayEquals(new long[] {3, 15}, t.srcInnerStride);
        ReductionLayout empty = ReductionLayout.of(
                op(0, new long[] {3}, new long[] {1}), op(0, new long[] {3, 0, 2}, new long[] {2, 2, 1}));
        assertEquals(0, empty.inner);
        assertEquals(0, empty.innerRank());
        assertEquals(3, empty.outputs());
    }
}
