package org.plugtorch.io;

import java.util.LinkedHashMap;

/**
 * A {@code collections.OrderedDict} from a pickle: its items, plus the attributes that BUILD set on it (a state
 * dict's {@code _metadata}, which PyTorch keeps as an attribute, not as an item).
 */
final class PyOrderedDict extends LinkedHashMap<Object, Object> {
    private static final long serialVersionUID = 1L;

    final LinkedHashMap<String, Object> attributes = new LinkedHashMap<>();
}
