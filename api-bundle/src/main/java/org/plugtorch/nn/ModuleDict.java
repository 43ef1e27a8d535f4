package org.plugtorch.nn;

import static org.plugtorch.spi.Preconditions.checkArgument;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Submodules registered under string keys, in insertion order ({@code nn.ModuleDict}). */
public class ModuleDict extends Module {

    public ModuleDict() {}

    public ModuleDict(Map<String, ? extends Module> modules) {
        modules.forEach(this::put);
    }

    /** Registers (or replaces in place) the module under {@code key}; keys follow module name rules. */
    public void put(String key, Module module) {
        registerModule(key, module);
    }

    public Module get(String key) {
        checkArgument(containsKey(key), () -> "'" + key + "'");
        return (Module) getAttr(key);
    }

    public boolean containsKey(String key) {
        return keys().contains(key);
    }

    /** Removes and returns the module under {@code key}. */
    public Module remove(String key) {
        Module m = get(key);
        delAttr(key);
        return m;
    }

    public List<String> keys() {
        return new ArrayList<>(items().keySet());
    }

    /** Every key with its module (null for an empty slot), in insertion order. */
    public Map<String, Module> items() {
        Map<String, Module> out = new LinkedHashMap<>();
        for (String k : moduleSlots()) {
            out.put(k, (Module) getAttr(k));
        }
        return out;
    }

    public int size() {
        return moduleSlots().size();
    }
}
