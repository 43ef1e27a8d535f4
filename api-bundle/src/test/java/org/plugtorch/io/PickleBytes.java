package org.plugtorch.io;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/** Hand-made pickle streams, opcode by opcode, for tests of what the restricted unpickler refuses. */
final class PickleBytes {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    static PickleBytes protocol2() {
        return new PickleBytes().op(0x80).op(2);
    }

    PickleBytes op(int code) {
        out.write(code);
        return this;
    }

    PickleBytes ops(String codes) {
        out.writeBytes(codes.getBytes(StandardCharsets.ISO_8859_1));
        return this;
    }

    PickleBytes global(String module, String name) {
        return op('c').ops(module + "\n" + name + "\n");
    }

    PickleBytes string(String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        op('X');
        out.writeBytes(ByteBuffer.allocate(4)
                .order(ByteOrder.LITTLE_ENDIAN)
                .putInt(b.length)
                .array());
        out.writeBytes(b);
        return this;
    }

    PickleBytes integer(long v) {
        if (v >= 0 && v < 256) {
            return op('K').op((int) v);
        }
        op(0x8a).op(8);
        out.writeBytes(
                ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(v).array());
        return this;
    }

    PickleBytes int32(int v) {
        op(0x4a);
        out.writeBytes(
                ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(v).array());
        return this;
    }

    /** A tuple of the given ints. */
    PickleBytes ints(long... values) {
        op('(');
        for (long v : values) {
            integer(v);
        }
        return op('t');
    }

    /** {@code ('storage', torch.<type>, key, 'cpu', numel)} BINPERSID. */
    PickleBytes storage(String type, String key, long numel) {
        op('(').string("storage")
                .global("torch", type)
                .string(key)
                .string("cpu")
                .integer(numel)
                .op('t');
        return op('Q');
    }

    /** {@code _rebuild_tensor_v2(storage, offset, size, stride, False, OrderedDict())}: leaves a tensor on the stack. */
    PickleBytes tensor(String type, String key, long numel, long offset, long[] size, long[] stride) {
        global("torch._utils", "_rebuild_tensor_v2").op('(');
        storage(type, key, numel).integer(offset).ints(size).ints(stride).op(0x89);
        global("collections", "OrderedDict").op(')').op('R');
        return op('t').op('R');
    }

    /** Some small valid tensor of storage 0 (of at least 64 floats). */
    PickleBytes tensorOf(java.util.Random r) {
        long n = 1 + r.nextInt(8);
        return tensor("FloatStorage", "0", 64, r.nextInt(8), new long[] {n}, new long[] {1 + r.nextInt(4)});
    }

    /** A one-entry state dict {@code {name: <what the builder pushed>}}: call before pushing, then {@link #endDict}. */
    PickleBytes beginDict(String name) {
        return op('}').string(name);
    }

    PickleBytes endDict() {
        return op('s').op('.');
    }

    byte[] bytes() {
        return out.toByteArray();
    }
}
