package org.plugtorch.nn;

import static org.plugtorch.spi.Preconditions.checkIndex;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * Submodules held in a list and registered under their positions {@code "0"}, {@code "1"}, ...: unlike a Java
 * {@code List<Module>} field, their parameters are trained, saved and moved with the owner.
 */
public class ModuleList extends Module implements Iterable<Module> {

    public ModuleList(Module... modules) {
        for (Module m : modules) {
            add(m);
        }
    }

    /** Appends a module (PyTorch's {@code append}); returns this. */
    public ModuleList add(Module module) {
        registerModule(String.valueOf(size()), module);
        return this;
    }

    /** The module at {@code index}; negative indices count from the end. */
    public Module get(int index) {
        return (Module) getAttr(String.valueOf(wrapIndex(index)));
    }

    /** Replaces the module at {@code index} in place. */
    public void set(int index, Module module) {
        registerModule(String.valueOf(wrapIndex(index)), module);
    }

    public int size() {
        return moduleSlots().size();
    }

    private int wrapIndex(int index) {
        int n = size();
        checkIndex(index >= -n && index < n, () -> "index " + index + " is out of range");
        return index < 0 ? index + n : index;
    }

    /** The modules in order, as a new list. */
    public List<Module> toList() {
        List<Module> out = new ArrayList<>();
        for (int i = 0; i < size(); i++) {
            out.add(get(i));
        }
        return out;
    }

    @Override
    public Iterator<Module> iterator() {
        return toList().iterator();
    }
}
