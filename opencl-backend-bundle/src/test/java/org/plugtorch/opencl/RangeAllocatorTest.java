package org.plugtorch.opencl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The arena sub-allocator, without a device: fresh space is known zero, reused space is not, frees coalesce. */
class RangeAllocatorTest {
    @Test
    void freshSpaceComesFromTheHighWaterMarkAndIsClean() {
        RangeAllocator a = new RangeAllocator(1000);
        RangeAllocator.Grant first = a.allocate(10);
        RangeAllocator.Grant second = a.allocate(20);
        assertEquals(0, first.offset);
        assertEquals(RangeAllocator.ALIGNMENT, second.offset, "offsets are aligned");
        assertFalse(first.dirty);
        assertFalse(second.dirty);
        assertEquals(RangeAllocator.footprint(10) + RangeAllocator.footprint(20), a.used());
    }

    @Test
    void freedSpaceIsReusedFirstFitAndMustBeZeroed() {
        RangeAllocator a = new RangeAllocator(1000);
        RangeAllocator.Grant x = a.allocate(64);
        a.allocate(64);
        a.free(x.offset, 64);
        RangeAllocator.Grant y = a.allocate(16);
        assertEquals(x.offset, y.offset);
        assertTrue(y.dirty, "a reused range held data");
        RangeAllocator.Grant z = a.allocate(48);
        assertEquals(x.offset + 16, z.offset, "the rest of the freed range");
        assertTrue(z.dirty);
    }

    @Test
    void neighbouringFreesMergeIntoOneRange() {
        RangeAllocator a = new RangeAllocator(96);
        RangeAllocator.Grant p = a.allocate(32);
        RangeAllocator.Grant q = a.allocate(32);
        RangeAllocator.Grant r = a.allocate(32);
        a.free(p.offset, 32);
        a.free(r.offset, 32);
        assertNull(a.allocate(64), "two separate holes of 32 do not hold 64");
        a.free(q.offset, 32);
        RangeAllocator.Grant all = a.allocate(96);
        assertEquals(0, all.offset, "the three holes merged");
        assertEquals(96, a.inUse());
    }

    /**
     * Many allocations and frees in a seeded random order against a model of which elements are taken: no range is
     * ever handed out twice. (A TreeMap entry read after its removal once split free ranges with a neighbour's size.)
     */
    @Test
    void randomAllocationsAndFreesNeverOverlap() {
        RangeAllocator a = new RangeAllocator(1 << 16);
        boolean[] taken = new boolean[1 << 16];
        java.util.List<int[]> live = new java.util.ArrayList<>();
        java.util.Random r = new java.util.Random(42);
        for (int step = 0; step < 20_000; step++) {
            if (!live.isEmpty() && (r.nextBoolean() || live.size() > 200)) {
                int[] x = live.remove(r.nextInt(live.size()));
                a.free(x[0], x[1]);
                for (int i = 0; i < RangeAllocator.footprint(x[1]); i++) {
                    taken[x[0] + i] = false;
                }
            } else {
                int size = 1 + r.nextInt(r.nextBoolean() ? 40 : 2000);
                RangeAllocator.Grant g = a.allocate(size);
                if (g == null) {
                    continue;
                }
                for (int i = 0; i < RangeAllocator.footprint(size); i++) {
                    assertFalse(taken[g.offset + i], "element " + (g.offset + i) + " handed out twice at step " + step);
                    taken[g.offset + i] = true;
                }
                live.add(new int[] {g.offset, size});
            }
        }
    }

    @Test
    void aFullArenaAsksToGrowAndKeepsOffsets() {
        RangeAllocator a = new RangeAllocator(32);
        RangeAllocator.Grant x = a.allocate(32);
        assertNull(a.allocate(1));
        assertEquals(48, a.capacityFor(1), "what a grown arena must hold");
        a.grow(64);
        RangeAllocator.Grant y = a.allocate(1);
        assertEquals(32, y.offset);
        assertFalse(y.dirty, "space added by growth is zero");
        assertEquals(0, x.offset);
    }
}
