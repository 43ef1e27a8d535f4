package org.plugtorch.io;

import org.plugtorch.DType;

/** One tensor of a checkpoint as the file declares it, before any of it is read. */
public final class TensorEntry {
    private final String name;
    private final String dtypeName;
    private final StoredTensor stored;
    private final String location;

    TensorEntry(String name, String dtypeName, StoredTensor stored, String location) {
        this.name = name;
        this.dtypeName = dtypeName;
        this.stored = stored;
        this.location = location;
    }

    public String name() {
        return name;
    }

    /** The dtype as the file spells it: {@code F32} in safetensors, {@code torch.float32} in torch files. */
    public String dtypeName() {
        return dtypeName;
    }

    /** The Plugtorch dtype holding these values exactly, or null (float16, bfloat16, uint8 and the like). */
    public DType dtype() {
        return stored.type.exact;
    }

    public long[] shape() {
        return stored.shape.clone();
    }

    public long numel() {
        return stored.numel();
    }

    /**
     * The bytes of this tensor's own elements (a broadcast view counts every element it shows, as
     * {@code numel() * element_size()} does). Readers refuse tensors whose count does not fit a long.
     */
    public long byteSize() {
        return Sizes.bytes(stored.numel(), stored.type.bits);
    }

    /** Where PyTorch saved the tensor ({@code cpu}, {@code cuda:0}); null for safetensors, which records none. */
    public String location() {
        return location;
    }

    StoredTensor stored() {
        return stored;
    }

    @Override
    public String toString() {
        return name + " " + dtypeName() + " " + Sizes.list(stored.shape) + " " + byteSize() + " bytes";
    }
}
