package org.plugtorch.cuda;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

/** A kernel's parameters, each as the little-endian bytes the kernel declares (structs by value, ints, pointers). */
final class KernelArgs {
    private final List<byte[]> params = new ArrayList<>();

    /** A struct of 64-bit integers, packed in order. */
    KernelArgs struct(long[] fields) {
        ByteBuffer b = ByteBuffer.allocate(fields.length * 8).order(ByteOrder.LITTLE_ENDIAN);
        for (long f : fields) {
            b.putLong(f);
        }
        params.add(b.array());
        return this;
    }

    KernelArgs int32(int value) {
        params.add(ByteBuffer.allocate(4)
                .order(ByteOrder.LITTLE_ENDIAN)
                .putInt(value)
                .array());
        return this;
    }

    KernelArgs uint64(long value) {
        params.add(ByteBuffer.allocate(8)
                .order(ByteOrder.LITTLE_ENDIAN)
                .putLong(value)
                .array());
        return this;
    }

    /** A device pointer. */
    KernelArgs pointer(long address) {
        return uint64(address);
    }

    byte[][] toArray() {
        return params.toArray(new byte[0][]);
    }
}
