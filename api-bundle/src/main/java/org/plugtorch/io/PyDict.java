package org.plugtorch.io;

import java.util.ArrayList;
import java.util.IdentityHashMap;

/**
 * A Python dict from a pickle, in insertion order. Its keys are {@link Canonical} values, so it finds them by
 * identity: setting an item costs the same for a key of one character or of a megabyte, and for keys whose hashes
 * collide. An item set again keeps its place, as in Python. An empty dict is one object of a single field (a pickle
 * makes one with a single byte, so this is most of what a pickle of EMPTY_DICTs costs); its tables come with its
 * first item. It is no {@link java.util.Map}: nothing can look a key up by value, or hash or compare the dict's
 * content (it may contain itself).
 */
class PyDict {
    /** The items, made on the first one. */
    private Items items;

    private static final class Items {
        final IdentityHashMap<Object, Object> values = new IdentityHashMap<>(4);
        final ArrayList<Object> order = new ArrayList<>(4);
        int nonStringKeys;
    }

    /** Sets an item; {@code key} must be canonical. */
    final void put(Object key, Object value) {
        if (items == null) {
            items = new Items();
        }
        boolean present = items.values.containsKey(key);
        items.values.put(key, value);
        if (!present) {
            items.order.add(key);
            if (!(key instanceof String)) {
                items.nonStringKeys++;
            }
        }
    }

    /** Whether {@code key}, which must be canonical, is a key. */
    final boolean containsKey(Object key) {
        return items != null && items.values.containsKey(key);
    }

    /** The value of {@code key}, which must be canonical, or null. */
    final Object get(Object key) {
        return items == null ? null : items.values.get(key);
    }

    /** Whether every key is a string (an attribute dict, for BUILD). */
    final boolean hasOnlyStringKeys() {
        return items == null || items.nonStringKeys == 0;
    }

    final int size() {
        return items == null ? 0 : items.order.size();
    }

    final boolean isEmpty() {
        return size() == 0;
    }

    /** The {@code i}-th key in insertion order. */
    final Object key(int i) {
        return items.order.get(i);
    }

    /** The value of the {@code i}-th key. */
    final Object value(int i) {
        return items.values.get(items.order.get(i));
    }

    @Override
    public String toString() {
        return "dict of " + size() + " items";
    }
}
