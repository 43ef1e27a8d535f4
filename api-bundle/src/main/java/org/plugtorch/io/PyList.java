package org.plugtorch.io;

import java.util.ArrayList;
import java.util.List;

/**
 * A Python list from a pickle. An empty list is one object of a single field (a pickle makes one with a single
 * byte); its array comes with its first item. It is no {@link List}: nothing hashes or compares its content (it may
 * contain itself).
 */
final class PyList {
    private ArrayList<Object> items;

    PyList() {}

    PyList(List<Object> initial) {
        if (!initial.isEmpty()) {
            items = new ArrayList<>(initial);
        }
    }

    void append(Object o) {
        if (items == null) {
            items = new ArrayList<>(4);
        }
        items.add(o);
    }

    void appendAll(List<Object> more) {
        if (items == null) {
            items = new ArrayList<>(more);
        } else {
            items.addAll(more);
        }
    }

    Object get(int index) {
        if (items == null) {
            throw new IndexOutOfBoundsException(index);
        }
        return items.get(index);
    }

    int size() {
        return items == null ? 0 : items.size();
    }

    @Override
    public String toString() {
        return "list of " + size() + " items";
    }
}
