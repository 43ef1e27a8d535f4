package org.plugtorch.io;

import java.util.ArrayList;
import java.util.List;

/**
 * The globals a torch.save pickle may name: the allow-list of PyTorch's {@code weights_only} unpickler cut down to what
 * a state dict needs. Anything else is refused by name; nothing named in a file is ever looked up or run.
 */
final class TorchGlobal {
    enum Kind {
        ORDERED_DICT,
        REBUILD_TENSOR_V2,
        REBUILD_PARAMETER,
        STORAGE_CLASS
    }

    final String module;
    final String name;
    final Kind kind;
    /** The element type, for a storage class. */
    final StoredDType storageType;

    private TorchGlobal(String module, String name, Kind kind, StoredDType storageType) {
        this.module = module;
        this.name = name;
        this.kind = kind;
        this.storageType = storageType;
    }

    /** The allowed global {@code module.name}, or null. */
    static TorchGlobal lookup(String module, String name) {
        if (module.equals("collections") && name.equals("OrderedDict")) {
            return new TorchGlobal(module, name, Kind.ORDERED_DICT, null);
        }
        if (module.equals("torch._utils") && name.equals("_rebuild_tensor_v2")) {
            return new TorchGlobal(module, name, Kind.REBUILD_TENSOR_V2, null);
        }
        if (module.equals("torch._utils") && name.equals("_rebuild_parameter")) {
            return new TorchGlobal(module, name, Kind.REBUILD_PARAMETER, null);
        }
        if (module.equals("torch")) {
            StoredDType type = StoredDType.ofStorageClass(name);
            if (type != null) {
                return new TorchGlobal(module, name, Kind.STORAGE_CLASS, type);
            }
        }
        return null;
    }

    static String allowed() {
        List<String> storages = new ArrayList<>();
        for (StoredDType t : StoredDType.values()) {
            if (t.storageClass != null) {
                storages.add(t.storageClass);
            }
        }
        return "collections.OrderedDict, torch._utils._rebuild_tensor_v2, torch._utils._rebuild_parameter, torch."
                + String.join("/", storages);
    }

    @Override
    public String toString() {
        return module + "." + name;
    }
}
