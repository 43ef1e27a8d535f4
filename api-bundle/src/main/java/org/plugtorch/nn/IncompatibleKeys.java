package org.plugtorch.nn;

import java.util.List;
import java.util.stream.Collectors;

/** What {@link Module#loadStateDict} reports: the keys the module expected but did not get, and the keys it did not expect. */
public final class IncompatibleKeys {
    private final List<String> missingKeys;
    private final List<String> unexpectedKeys;

    IncompatibleKeys(List<String> missingKeys, List<String> unexpectedKeys) {
        this.missingKeys = List.copyOf(missingKeys);
        this.unexpectedKeys = List.copyOf(unexpectedKeys);
    }

    /** Keys of parameters and persistent buffers that the state dict lacked, in module traversal order. */
    public List<String> missingKeys() {
        return missingKeys;
    }

    /** Keys of the state dict that match nothing in the module. */
    public List<String> unexpectedKeys() {
        return unexpectedKeys;
    }

    public boolean isEmpty() {
        return missingKeys.isEmpty() && unexpectedKeys.isEmpty();
    }

    /** PyTorch's form: {@code <All keys matched successfully>}, or {@code _IncompatibleKeys(missing_keys=[...], ...)}. */
    @Override
    public String toString() {
        if (isEmpty()) {
            return "<All keys matched successfully>";
        }
        return "_IncompatibleKeys(missing_keys=" + pyList(missingKeys) + ", unexpected_keys=" + pyList(unexpectedKeys)
                + ")";
    }

    private static String pyList(List<String> keys) {
        return keys.stream().map(k -> "'" + k + "'").collect(Collectors.joining(", ", "[", "]"));
    }
}
