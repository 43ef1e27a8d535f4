package org.plugtorch.io;

/** A tensor as a torch.save pickle rebuilds it: a view (offset, shape, strides) of a storage record. */
final class TorchTensorRecord {
    final TorchStorageRef storage;
    final long offset;
    final long[] shape;
    final long[] strides;
    final boolean requiresGrad;

    TorchTensorRecord(TorchStorageRef storage, long offset, long[] shape, long[] strides, boolean requiresGrad) {
        this.storage = storage;
        this.offset = offset;
        this.shape = shape;
        this.strides = strides;
        this.requiresGrad = requiresGrad;
    }
}
