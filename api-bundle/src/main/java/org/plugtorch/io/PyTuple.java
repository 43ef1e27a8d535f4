package org.plugtorch.io;

import java.util.AbstractList;
import java.util.Arrays;

/**
 * A Python tuple from a pickle: immutable, equal by content (so it can be a dict key, as in Python). Its nesting depth
 * is fixed when it is made and limited, so that hashing or comparing one never recurses deeply.
 */
final class PyTuple extends AbstractList<Object> {
    static final PyTuple EMPTY = new PyTuple(new Object[0], 1);

    private final Object[] items;
    final int depth;

    private PyTuple(Object[] items, int depth) {
        this.items = items;
        this.depth = depth;
    }

    /** A tuple of {@code items}, or null when it would nest deeper than {@code maxDepth}. */
    static PyTuple of(Object[] items, int maxDepth) {
        int depth = 1;
        for (Object o : items) {
            if (o instanceof PyTuple) {
                depth = Math.max(depth, ((PyTuple) o).depth + 1);
            }
        }
        return depth > maxDepth ? null : new PyTuple(items, depth);
    }

    @Override
    public Object get(int index) {
        return items[index];
    }

    @Override
    public int size() {
        return items.length;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PyTuple && Arrays.equals(items, ((PyTuple) o).items);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(items);
    }
}
