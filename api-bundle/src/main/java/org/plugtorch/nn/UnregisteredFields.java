package org.plugtorch.nn;

import java.lang.reflect.Array;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Finds the silent Java bug PyTorch cannot have: a Parameter or Module kept in a field (or in a collection or array
 * in a field) of a module but never registered, so that it is not trained, saved or moved with the module.
 */
final class UnregisteredFields {
    private static final Set<String> REPORTED = ConcurrentHashMap.newKeySet();

    private UnregisteredFields() {}

    /** One message per offending field of {@code module}; {@code registered} holds everything registered in its tree. */
    static List<String> find(Module module, Set<Object> registered) {
        List<String> problems = new ArrayList<>();
        for (Class<?> c = module.getClass(); c != null && c != Module.class; c = c.getSuperclass()) {
            for (Field f : c.getDeclaredFields()) {
                if (Modifier.isStatic(f.getModifiers())
                        || f.isSynthetic()
                        || f.getType().isPrimitive()) {
                    continue;
                }
                Object value = read(f, module);
                String where = c.getSimpleName() + "." + f.getName();
                if (value instanceof Parameter && !registered.contains(value)) {
                    problems.add(where + " holds a Parameter that is not registered: it is not trained, saved or moved "
                            + "with the module. Register it with registerParameter(\"" + f.getName() + "\", ...).");
                } else if (value instanceof Module && !registered.contains(value)) {
                    problems.add(where + " holds a Module that is not registered: its parameters are not trained, "
                            + "saved or moved with the module. Register it with registerModule(\"" + f.getName()
                            + "\", ...).");
                } else if (holdsUnregistered(value, registered)) {
                    problems.add(where + " is a collection holding Modules or Parameters that are not registered: "
                            + "they are not trained, saved or moved with the module. Use a ModuleList or ModuleDict, "
                            + "or register each element.");
                }
            }
        }
        return problems;
    }

    /** True the first time a given problem is seen in this JVM: each field is reported once. */
    static boolean firstReport(String problem) {
        return REPORTED.add(problem);
    }

    private static Object read(Field f, Object owner) {
        try {
            f.setAccessible(true);
            return f.get(owner);
        } catch (RuntimeException | IllegalAccessException e) {
            return null; // a field of a class in a module that is not open to us: nothing to check
        }
    }

    private static boolean holdsUnregistered(Object value, Set<Object> registered) {
        Iterable<?> elements;
        if (value instanceof Collection) {
            elements = (Collection<?>) value;
        } else if (value instanceof Map) {
            elements = ((Map<?, ?>) value).values();
        } else if (value != null
                && value.getClass().isArray()
                && !value.getClass().getComponentType().isPrimitive()) {
            List<Object> list = new ArrayList<>();
            for (int i = 0; i < Array.getLength(value); i++) {
                list.add(Array.get(value, i));
            }
            elements = list;
        } else {
            return false;
        }
        for (Object e : elements) {
            if ((e instanceof Module || e instanceof Parameter) && !registered.contains(e)) {
                return true;
            }
        }
        return false;
    }
}
