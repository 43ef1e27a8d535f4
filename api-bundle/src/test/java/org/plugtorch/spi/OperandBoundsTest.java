package org.plugtorch.spi;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.plugtorch.DType;

/** {@link OperandRules#inBounds}: every element an operand addresses lies in its buffer, or the call is refused. */
class OperandBoundsTest {
    private static final HostBuffer FOUR = HostBuffer.allocate(DType.FLOAT32, 4);

    private static Operand op(long offset, long[] shape, long[] strides) {
        return new Operand(FOUR, offset, shape, strides);
    }

    @Test
    void operandsInsideTheirBufferPass() {
        assertDoesNotThrow(() -> OperandRules.inBounds(Operand.contiguous(FOUR, 2, 2), "destination"));
        assertDoesNotThrow(() -> OperandRules.inBounds(op(3, new long[] {4}, new long[] {-1}), "a flip"));
        assertDoesNotThrow(() -> OperandRules.inBounds(op(3, new long[] {1000, 7}, new long[] {0, 0}), "a broadcast"));
        assertDoesNotThrow(() -> OperandRules.inBounds(op(2, new long[0], new long[0]), "a scalar"));
        assertDoesNotThrow(
                () -> OperandRules.inBounds(op(99, new long[] {3, 0}, new long[] {1, 1}), "nothing"),
                "an operand with a zero dimension addresses nothing");
    }

    @Test
    void anElementPastEitherEndIsRefusedWithTheRangeAddressed() {
        IndexOutOfBoundsException high = assertThrows(
                IndexOutOfBoundsException.class,
                () -> OperandRules.inBounds(op(1, new long[] {4}, new long[] {1}), "source"));
        assertTrue(high.getMessage().startsWith("source Operand("), high.getMessage());
        assertTrue(high.getMessage().endsWith("addresses elements 1 to 4, outside its buffer of 4"), high.getMessage());
        IndexOutOfBoundsException low = assertThrows(
                IndexOutOfBoundsException.class,
                () -> OperandRules.inBounds(op(1, new long[] {2, 2}, new long[] {-2, 1}), "source"));
        assertTrue(low.getMessage().endsWith("addresses elements -1 to 2, outside its buffer of 4"), low.getMessage());
    }

    @Test
    void aNegativeDimensionIsRefused() {
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class,
                () -> OperandRules.inBounds(op(0, new long[] {2, -1}, new long[] {1, 1}), "destination"));
        assertTrue(e.getMessage().startsWith("destination has a negative dimension"), e.getMessage());
    }

    /** Addresses that wrap around a long would otherwise look in bounds: the last one below is 10 + 2^63 - 1. */
    @Test
    void addressesPastTheRangeOfALongAreRefused() {
        IndexOutOfBoundsException sum = assertThrows(
                IndexOutOfBoundsException.class,
                () -> OperandRules.inBounds(op(10, new long[] {2}, new long[] {Long.MAX_VALUE}), "source"));
        assertTrue(sum.getMessage().endsWith("addresses elements past the range of a long"), sum.getMessage());
        IndexOutOfBoundsException product = assertThrows(
                IndexOutOfBoundsException.class,
                () -> OperandRules.inBounds(op(0, new long[] {3}, new long[] {Long.MAX_VALUE / 2 + 1}), "source"));
        assertTrue(product.getMessage().endsWith("past the range of a long"), product.getMessage());
        long half = Long.MIN_VALUE / 2;
        IndexOutOfBoundsException below = assertThrows(
                IndexOutOfBoundsException.class,
                () -> OperandRules.inBounds(op(0, new long[] {2, 2, 2}, new long[] {half, half, half}), "source"));
        assertTrue(below.getMessage().endsWith("past the range of a long"), below.getMessage());
    }

    @Test
    void theMessageNamesTheBufferSize() {
        HostBuffer ten = HostBuffer.allocate(DType.INT64, 10);
        IndexOutOfBoundsException e = assertThrows(
                IndexOutOfBoundsException.class,
                () -> OperandRules.inBounds(new Operand(ten, 0, new long[] {11}, new long[] {1}), "x"));
        assertEquals(
                "outside its buffer of 10",
                e.getMessage().substring(e.getMessage().indexOf("outside")));
    }
}
