package org.plugtorch.opencl;

import java.util.Map;
import java.util.TreeMap;

/**
 * Hands out ranges of elements of one arena: first fit over the freed ranges (merged with their neighbours when
 * freed), else from the untouched space above a high-water mark. Space above the mark has never held data since the
 * arena was created, so it is still zero and a new buffer there needs no zero-filling; a reused range does.
 *
 * <p>Offsets and sizes are rounded up to {@link #ALIGNMENT} elements so that every buffer starts on a 64-byte line
 * for every dtype. Not thread-safe: its device serialises every call.
 */
final class RangeAllocator {
    static final int ALIGNMENT = 16;

    /** Where a new buffer lives, and whether its range must be zeroed first. */
    static final class Grant {
        final int offset;
        final boolean dirty;

        Grant(int offset, boolean dirty) {
            this.offset = offset;
            this.dirty = dirty;
        }
    }

    private final TreeMap<Integer, Integer> free = new TreeMap<>();
    private long capacity;
    private long top;
    private long inUse;

    RangeAllocator(long capacity) {
        this.capacity = capacity;
    }

    /** Elements needed to hold {@code size} elements, alignment included. */
    static long footprint(long size) {
        return (size + ALIGNMENT - 1) / ALIGNMENT * ALIGNMENT;
    }

    /** A range for {@code size > 0} elements, or null when the arena must grow first. */
    Grant allocate(long size) {
        long need = footprint(size);
        for (Map.Entry<Integer, Integer> e : free.entrySet()) {
            if (e.getValue() >= need) {
                // read both before removing: TreeMap may reuse a removed entry for its successor's key and value
                int offset = e.getKey();
                int length = e.getValue();
                free.remove(offset);
                if (length > need) {
                    free.put((int) (offset + need), (int) (length - need));
                }
                inUse += need;
                return new Grant(offset, true);
            }
        }
        if (top + need <= capacity) {
            int offset = (int) top;
            top += need;
            inUse += need;
            return new Grant(offset, false);
        }
        return null;
    }

    /** Returns a range handed out by {@link #allocate} with the same size. */
    void free(int offset, long size) {
        int start = offset;
        long length = footprint(size);
        Map.Entry<Integer, Integer> before = free.lowerEntry(start);
        if (before != null && before.getKey() + (long) before.getValue() == start) {
            start = before.getKey();
            length += before.getValue();
            free.remove(before.getKey());
        }
        Integer after = free.get((int) (start + length));
        if (after != null) {
            free.remove((int) (start + length));
            length += after;
        }
        free.put(start, (int) length);
        inUse -= footprint(size);
    }

    /** Capacity needed to grant {@code size} more elements without reusing freed space: the new arena's minimum. */
    long capacityFor(long size) {
        return top + footprint(size);
    }

    /** Makes {@code newCapacity} elements available; the space between the old and new capacity is zero. */
    void grow(long newCapacity) {
        capacity = newCapacity;
    }

    long capacity() {
        return capacity;
    }

    /** Elements held by live buffers (rounded up to the alignment). */
    long inUse() {
        return inUse;
    }

    /** Elements below the high-water mark: the part of the arena that ever held data. */
    long used() {
        return top;
    }
}
