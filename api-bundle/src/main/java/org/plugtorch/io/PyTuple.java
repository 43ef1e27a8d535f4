package org.plugtorch.io;

import java.util.AbstractList;
import java.util.Arrays;
import java.util.RandomAccess;

/**
 * A Python tuple from a pickle: immutable, equal by content. Its nesting depth is fixed when it is made and limited,
 * and whether Python could hash it (every item None, a bool, an int, a float, a str or such a tuple) is decided then
 * too, from its items' own flags, so that no question about a tuple ever walks the tuples inside it. The unpickler
 * makes hashable tuples through {@link Canonical}, so that equal ones are one object and dict keys compare by
 * identity; a tuple shaped as a DAG ({@code t = (t, t)} sixty times) then costs its own items once, never 2^60 steps.
 */
final class PyTuple extends AbstractList<Object> implements RandomAccess {
    static final PyTuple EMPTY = new PyTuple(new Object[0], 1, true);

    private final Object[] items;
    final int depth;
    final boolean hashable;
    /** The content hash, computed on first use from the items' (cached) hashes; 0 until then. */
    private int hash;

    private PyTuple(Object[] items, int depth, boolean hashable) {
        this.items = items;
        this.depth = depth;
        this.hashable = hashable;
    }

    /** A new tuple of {@code items} (not canonical), or null when it would nest deeper than {@code maxDepth}. */
    static PyTuple of(Object[] items, int maxDepth) {
        if (items.length == 0) {
            return EMPTY;
        }
        int depth = 1;
        boolean hashable = true;
        for (Object o : items) {
            if (o instanceof PyTuple) {
                depth = Math.max(depth, ((PyTuple) o).depth + 1);
            }
            hashable &= PickleTypes.isHashable(o);
        }
        return depth > maxDepth ? null : new PyTuple(items, depth, hashable);
    }

    @Override
    public Object get(int index) {
        return items[index];
    }

    @Override
    public int size() {
        return items.length;
    }

    /** The items themselves (not a copy), for {@link Canonical}'s keys; never to be changed. */
    Object[] items() {
        return items;
    }

    @Override
    public boolean equals(Object o) {
        if (o == this) {
            return true;
        }
        if (!(o instanceof PyTuple)) {
            return false;
        }
        PyTuple t = (PyTuple) o;
        if (hashable && t.hashable && hashCode() != t.hashCode()) {
            return false;
        }
        return Arrays.equals(items, t.items);
    }

    @Override
    public int hashCode() {
        int h = hash;
        if (h == 0) {
            h = Arrays.hashCode(items);
            hash = h;
        }
        return h;
    }
}
