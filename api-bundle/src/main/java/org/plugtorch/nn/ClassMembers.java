package org.plugtorch.nn;

import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.HashSet;
import java.util.Set;
import org.plugtorch.Tensor;

/**
 * The names a module class already uses, which no member may take (PyTorch's {@code hasattr} on the class): its
 * public methods, {@code training}, and its fields other than Tensor and Module fields (which are how Java code holds
 * registered members).
 */
final class ClassMembers {
    private static final ClassValue<Set<String>> CACHE = new ClassValue<>() {
        @Override
        protected Set<String> computeValue(Class<?> type) {
            Set<String> names = new HashSet<>();
            names.add("training");
            for (Method m : type.getMethods()) {
                names.add(m.getName());
            }
            for (Class<?> c = type; c != null && c != Module.class; c = c.getSuperclass()) {
                for (Field f : c.getDeclaredFields()) {
                    if (!Modifier.isStatic(f.getModifiers()) && !f.isSynthetic() && !holdsMembers(f.getType())) {
                        names.add(f.getName());
                    }
                }
            }
            return Set.copyOf(names);
        }
    };

    private ClassMembers() {}

    static Set<String> of(Class<?> type) {
        return CACHE.get(type);
    }

    private static boolean holdsMembers(Class<?> fieldType) {
        return Tensor.class.isAssignableFrom(fieldType) || Module.class.isAssignableFrom(fieldType);
    }
}
