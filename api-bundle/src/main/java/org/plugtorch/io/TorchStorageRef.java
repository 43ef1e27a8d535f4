package org.plugtorch.io;

/**
 * A storage that a torch.save pickle refers to by persistent id {@code ('storage', torch.FloatStorage, key, location,
 * numel)}: the record {@code data/<key>} holding {@code numel} elements of one type, saved at {@code location}.
 */
final class TorchStorageRef {
    final String key;
    final StoredDType type;
    final String location;
    final long numel;
    final ZipDirectory.Record record;

    TorchStorageRef(String key, StoredDType type, String location, long numel, ZipDirectory.Record record) {
        this.key = key;
        this.type = type;
        this.location = location;
        this.numel = numel;
        this.record = record;
    }
}
