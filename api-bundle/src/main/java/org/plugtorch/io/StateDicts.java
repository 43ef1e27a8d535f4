package org.plugtorch.io;

import static org.plugtorch.spi.Preconditions.checkArgument;

import java.util.LinkedHashMap;
import java.util.Map;

/** Helpers for state dicts as checkpoints hold them. */
public final class StateDicts {
    private StateDicts() {}

    /**
     * A copy of {@code stateDict} in which keys starting with {@code prefix} lose it and the others stay as they
     * are, in the same order: PyTorch's {@code consume_prefix_in_state_dict_if_present}, for checkpoints saved from
     * {@code DataParallel} ({@code stripPrefix(sd, "module.")}). Where stripping would make two keys equal, PyTorch
     * silently keeps one; this is an error naming both.
     */
    public static <T> LinkedHashMap<String, T> stripPrefix(Map<String, T> stateDict, String prefix) {
        LinkedHashMap<String, T> out = new LinkedHashMap<>();
        Map<String, String> origin = new LinkedHashMap<>();
        for (Map.Entry<String, T> e : stateDict.entrySet()) {
            String key = stripped(e.getKey(), prefix);
            String earlier = origin.put(key, e.getKey());
            checkArgument(
                    earlier == null,
                    () -> "stripping the prefix '" + prefix + "' makes keys '" + earlier + "' and '" + e.getKey()
                            + "' both '" + key + "'");
            out.put(key, e.getValue());
        }
        return out;
    }

    static String stripped(String key, String prefix) {
        return prefix != null && key.startsWith(prefix) ? key.substring(prefix.length()) : key;
    }
}
