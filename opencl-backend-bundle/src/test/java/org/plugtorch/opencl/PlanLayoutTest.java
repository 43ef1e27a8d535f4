package org.plugtorch.opencl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.plugtorch.DType;
import org.plugtorch.Device;
import org.plugtorch.spi.Operand;

/**
 * The plans' dimensions, without a device: a work-item pays one division per dimension left, so plans take the
 * coalesced space (the SPI's {@code IterationSpace}), dimensions in their order, each operand's strides in its slot.
 */
class PlanLayoutTest {
    private static final ClBuffer BUFFER = new ClBuffer(Device.parse("opencl:0"), DType.FLOAT32, 1 << 10, 100);

    private static Operand op(long offset, long[] shape, long[] strides) {
        return new Operand(BUFFER, offset, shape, strides);
    }

    private static int[] elementwise(Operand... operands) {
        ClBuffer[] buffers = new ClBuffer[operands.length];
        Arrays.fill(buffers, BUFFER);
        return Plans.elementwise(ProgramCodes.COPY, 0, operands, buffers);
    }

    /** The shape, then each operand's {dtype, arena offset, strides...}, as the plan holds them. */
    private static String layout(int[] plan) {
        int rank = plan[ProgramCodes.RANK];
        return Arrays.toString(Arrays.copyOfRange(plan, ProgramCodes.SHAPE, plan.length)) + " rank " + rank;
    }

    @Test
    void contiguousOperandsOfAnyRankAreOneDimensionAndTakeTheFastPath() {
        long[] shape = {2, 3, 4};
        Operand dst = Operand.contiguous(BUFFER, shape);
        Operand src = op(24, shape, new long[] {12, 4, 1});
        int[] plan = elementwise(dst, src);
        assertEquals("[24, 0, 100, 1, 0, 124, 1, -1, 0, 0, -1, 0, 0] rank 1", layout(plan));
        assertEquals(24, plan[ProgramCodes.WORK]);
        assertTrue(Plans.unitStride(dst, src));
    }

    @Test
    void aBroadcastOrATransposeKeepsItsDimensionsInOrder() {
        long[] shape = {3, 4};
        Operand dst = Operand.contiguous(BUFFER, shape);
        assertEquals(
                "[3, 4, 0, 100, 4, 1, 0, 100, 0, 1, -1, 0, 0, 0, -1, 0, 0, 0] rank 2",
                layout(elementwise(dst, op(0, shape, new long[] {0, 1}))));
        assertEquals(
                "[3, 4, 0, 100, 4, 1, 0, 100, 1, 3, -1, 0, 0, 0, -1, 0, 0, 0] rank 2",
                layout(elementwise(dst, op(0, shape, new long[] {1, 3}))),
                "not reordered: the destination leads");
        assertFalse(Plans.unitStride(dst, op(0, shape, new long[] {1, 3})));
    }

    @Test
    void aSingleElementHasNoDimensions() {
        Operand one = op(7, new long[] {1, 1}, new long[] {5, 5});
        int[] plan = elementwise(one);
        assertEquals(0, plan[ProgramCodes.RANK]);
        assertEquals(1, plan[ProgramCodes.WORK]);
        assertTrue(Plans.unitStride(one));
    }

    @Test
    void reductionsMergeKeptAndReducedDimensionsApart() {
        Operand src = op(2, new long[] {4, 5, 6, 7}, new long[] {210, 42, 7, 1});
        Operand dst = op(0, new long[] {4, 5}, new long[] {5, 1});
        int[] plan = Plans.reduce(0, dst, BUFFER, src, BUFFER);
        assertEquals(1, plan[ProgramCodes.RANK]);
        assertEquals(1, plan[ProgramCodes.INNER_RANK]);
        assertEquals(20, plan[ProgramCodes.WORK]);
        assertEquals(42, plan[ProgramCodes.COUNT]);
        Operand transposed = op(0, new long[] {3, 4, 5}, new long[] {1, 3, 15});
        int[] t = Plans.reduce(0, op(0, new long[] {3}, new long[] {1}), BUFFER, transposed, BUFFER);
        assertEquals(2, t[ProgramCodes.INNER_RANK], "reduced dimensions keep their order for ARGMAX positions");
        assertEquals(4, t[ProgramCodes.REDUCE_SHAPE + 1]);
        assertEquals(5, t[ProgramCodes.REDUCE_SHAPE + 2]);
    }
}
