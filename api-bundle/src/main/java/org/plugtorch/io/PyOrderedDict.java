package org.plugtorch.io;

import java.util.ArrayList;

/**
 * A {@code collections.OrderedDict} from a pickle: its items, plus the attributes that BUILD set on it (a state
 * dict's {@code _metadata}, which PyTorch keeps as an attribute, not as an item). Each BUILD's state is kept as it
 * is, not copied: a pickle can BUILD with one large dict many times at three bytes each, and copying it every time
 * would cost its size each time. An attribute is looked up from the last state back, which gives what Python's
 * repeated {@code __dict__.update} gives.
 */
final class PyOrderedDict extends PyDict {
    private final Canonical canonical;
    private final ArrayList<PyDict> states = new ArrayList<>(1);

    PyOrderedDict(Canonical canonical) {
        this.canonical = canonical;
    }

    /** BUILD: {@code state}'s items become attributes (its keys are all strings). */
    void build(PyDict state) {
        states.add(state);
    }

    /** The attribute {@code name}, or null. */
    Object attribute(String name) {
        Object key = canonical.find(name);
        if (key == null) {
            return null;
        }
        for (int i = states.size() - 1; i >= 0; i--) {
            PyDict s = states.get(i);
            if (s.containsKey(key)) {
                return s.get(key);
            }
        }
        return null;
    }
}
