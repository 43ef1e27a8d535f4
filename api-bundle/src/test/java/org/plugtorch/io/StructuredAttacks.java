package org.plugtorch.io;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Random;

/**
 * Hostile checkpoints built on purpose rather than by flipping bytes: each picks one kind of attack on the readers'
 * work or memory (shared structure reached again through the pickle's memo, views that declare far more than they
 * hold, numbers and shapes at the edges of a long) and random sizes for it. A few kilobytes to a megabyte each.
 */
final class StructuredAttacks {
    private StructuredAttacks() {}

    /** The name of each kind, for reports. */
    static final String[] KINDS = {
        "tuple DAG as a key",
        "equal DAGs as keys",
        "long equal and colliding keys",
        "BUILD again",
        "nested long keys",
        "many names for one tensor",
        "shared metadata",
        "broadcast view",
        "overlapping view",
        "empty view far away",
        "shape near overflow",
        "rebuild again",
        "opcode flood",
        "storage location",
        "header number",
        "header shape",
        "memo far apart"
    };

    /** An attack of kind {@code kind}: the file's bytes, {@code .pt} or {@code .safetensors} by {@link #suffix}. */
    static byte[] make(int kind, Random r) {
        switch (kind) {
            case 0:
                return torch(dagKey(PickleBytes.protocol2().op('}'), 1 + r.nextInt(99), 0)
                        .op('N')
                        .op('s')
                        .op('.'));
            case 1: {
                PickleBytes p = PickleBytes.protocol2().op('}');
                int levels = 1 + r.nextInt(90);
                dagKey(p, levels, 0).tensorOf(r).op('s');
                dagKey(p, levels, 200).tensorOf(r).op('s');
                return torch(p.op('.'), 64);
            }
            case 2: {
                int half = 1 + r.nextInt(1 << 16);
                PickleBytes p = PickleBytes.protocol2().op('}').op('}');
                p.string("x".repeat(2 * half))
                        .op('q')
                        .op(0)
                        .op('0')
                        .string("x".repeat(2 * half))
                        .op('q')
                        .op(1)
                        .op('0');
                p.string("Aa".repeat(half))
                        .op('q')
                        .op(2)
                        .op('0')
                        .string("Aa".repeat(half - 1) + "BB")
                        .op('q')
                        .op(3)
                        .op('0')
                        .op('(');
                for (int i = 0, n = r.nextInt(50_000); i < n; i++) {
                    p.op('h').op(r.nextInt(4)).op('N');
                }
                return torch(p.op('u').op('0').op('.'));
            }
            case 3: {
                PickleBytes p = PickleBytes.protocol2()
                        .global("collections", "OrderedDict")
                        .op(')')
                        .op('R')
                        .op('}')
                        .op('(');
                for (int i = 0, n = r.nextInt(5_000); i < n; i++) {
                    p.string("a" + i).op('N');
                }
                p.op('u').op('q').op(0).op('0');
                for (int i = 0, n = r.nextInt(100_000); i < n; i++) {
                    p.op('h').op(0).op('b');
                }
                return torch(p.op('.'));
            }
            case 4:
                return torch(nested(1 + r.nextInt(1 << 18), 1 + r.nextInt(110), 1 + r.nextInt(100), r), 64);
            case 5:
                return torch(nested(1 + r.nextInt(2000), 1 + r.nextInt(99), 1 + r.nextInt(50_000), r), 64);
            case 6: {
                PickleBytes p = PickleBytes.protocol2()
                        .global("collections", "OrderedDict")
                        .op(')')
                        .op('R');
                p.op('}').string("_metadata").op('}').op('}').op('(');
                for (int i = 0, n = r.nextInt(3_000); i < n; i++) {
                    p.string("f" + i).integer(r.nextInt(1000));
                }
                p.op('u').op('q').op(0).op('0').op('(');
                for (int i = 0, n = r.nextInt(3_000); i < n; i++) {
                    p.string("m" + i).op('h').op(0);
                }
                return torch(p.op('u').op('s').op('b').op('.'));
            }
            case 7: {
                int rank = 1 + r.nextInt(4);
                long[] shape = new long[rank];
                long[] stride = new long[rank];
                long inner = 1;
                for (int d = rank - 1; d >= 0; d--) {
                    boolean broadcast = r.nextBoolean();
                    shape[d] = broadcast ? 1L << r.nextInt(40) : 1 + r.nextInt(4);
                    stride[d] = broadcast ? 0 : inner;
                    inner *= broadcast ? 1 : shape[d];
                }
                boolean doubles = r.nextBoolean();
                return torch(
                        PickleBytes.protocol2()
                                .beginDict("w")
                                .tensor(doubles ? "DoubleStorage" : "FloatStorage", "0", inner, 0, shape, stride)
                                .endDict(),
                        (int) inner * (doubles ? 2 : 1));
            }
            case 8: {
                long n = 1 + r.nextInt(1 << 17);
                long[] shape = {n, 1 + r.nextInt((int) Math.min(n, 1 << 17))};
                return torch(
                        PickleBytes.protocol2()
                                .beginDict("w")
                                .tensor("FloatStorage", "0", n + shape[1], 0, shape, new long[] {1, 1})
                                .endDict(),
                        (int) (n + shape[1]));
            }
            case 9:
                return torch(
                        PickleBytes.protocol2()
                                .beginDict("w")
                                .tensor(
                                        "FloatStorage",
                                        "0",
                                        1,
                                        r.nextLong() >>> 1,
                                        new long[] {r.nextInt(3), 0},
                                        new long[] {r.nextLong() >>> 1, 1})
                                .endDict(),
                        1);
            case 10: {
                long a = (1L << (30 + r.nextInt(33))) + r.nextInt(3) - 1;
                long b = Long.MAX_VALUE / Math.max(1, a) + r.nextInt(3) - 1;
                return torch(
                        PickleBytes.protocol2()
                                .beginDict("w")
                                .tensor(
                                        "FloatStorage",
                                        "0",
                                        1,
                                        0,
                                        new long[] {Math.max(0, a), Math.max(0, b), r.nextInt(2)},
                                        new long[] {0, 0, 0})
                                .endDict(),
                        1);
            }
            case 11: {
                PickleBytes p = PickleBytes.protocol2().op('}').op('(');
                p.global("torch._utils", "_rebuild_tensor_v2").op('q').op(0).op('0');
                p.op('(')
                        .storage("FloatStorage", "0", 6)
                        .integer(0)
                        .ints(2, 3)
                        .ints(3, 1)
                        .op(0x89)
                        .global("collections", "OrderedDict")
                        .op(')')
                        .op('R')
                        .op('t')
                        .op('q')
                        .op(1)
                        .op('0');
                for (int i = 0, n = r.nextInt(20_000); i < n; i++) {
                    p.string("t" + i).op('h').op(0).op('h').op(1).op('R');
                }
                return torch(p.op('u').op('.'), 6);
            }
            case 12: {
                byte[] b = new byte[3 + r.nextInt(1 << 20)];
                b[0] = (byte) 0x80;
                b[1] = 2;
                int[] ops = {'}', ']', '(', ')', 'N', 0x94, '2', 0x88, 'K'};
                java.util.Arrays.fill(b, 2, b.length - 1, (byte) ops[r.nextInt(ops.length)]);
                b[b.length - 1] = '.';
                return TorchZipBytes.stateDict(b).bytes();
            }
            case 13: {
                String[] locations = {
                    "cpu\0",
                    "cpu ",
                    " cpu",
                    "cuda:01",
                    "cuda:00",
                    "cpu\n",
                    "c".repeat(1 << 16),
                    "cuda:99999999999",
                    "CPU",
                    "cuda:-1"
                };
                return torch(
                        PickleBytes.protocol2()
                                .op('(')
                                .string("storage")
                                .global("torch", "FloatStorage")
                                .string("0")
                                .string(locations[r.nextInt(locations.length)])
                                .integer(1)
                                .op('t')
                                .op('Q')
                                .op('.'),
                        1);
            }
            case 14: {
                String digits = (r.nextBoolean() ? "-" : "") + "9".repeat(1 + r.nextInt(1 << 19));
                String number = r.nextBoolean() ? digits : "1." + digits.replace("-", "") + "e" + r.nextInt(999);
                return safetensors("{\"a\":{\"dtype\":\"F32\",\"shape\":[" + number + "],\"data_offsets\":[0,0]}}");
            }
            case 15: {
                StringBuilder shape = new StringBuilder();
                for (int i = 0, n = 1 + r.nextInt(100_000); i < n; i++) {
                    shape.append(i == 0 ? "" : ",").append(r.nextInt(4) == 0 ? Long.MAX_VALUE : r.nextInt(3));
                }
                return safetensors("{\"a\":{\"dtype\":\"F32\",\"shape\":[" + shape + "],\"data_offsets\":[0,0]}}");
            }
            default: {
                // memo indices far apart (LONG_BINPUT) and MEMOIZE after them
                PickleBytes p = PickleBytes.protocol2().op('}');
                for (int i = 0, n = r.nextInt(20_000); i < n; i++) {
                    if (r.nextBoolean()) {
                        p.op('r').ops(le32(r.nextInt()));
                    } else {
                        p.op(0x94);
                    }
                }
                return torch(p.op('.'));
            }
        }
    }

    static String suffix(int kind) {
        return kind == 14 || kind == 15 ? ".safetensors" : ".pt";
    }

    private static byte[] torch(PickleBytes pickle, int... storageFloats) {
        return TorchZipBytes.stateDict(pickle.bytes(), storageFloats.length == 0 ? new int[] {1} : storageFloats)
                .bytes();
    }

    private static byte[] safetensors(String header) {
        return SafetensorsBytes.of(header, new byte[0]);
    }

    private static String le32(int v) {
        return new String(
                ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(v).array(), StandardCharsets.ISO_8859_1);
    }

    /** Pushes t_levels (t_0 = (1,), t_i = (t_{i-1}, t_{i-1})), memoised from {@code memoBase}. */
    private static PickleBytes dagKey(PickleBytes b, int levels, int memoBase) {
        b.integer(1).op(0x85).op('r').ops(le32(memoBase)).op('0');
        for (int i = 1; i <= levels; i++) {
            b.op('j')
                    .ops(le32(memoBase + i - 1))
                    .op('j')
                    .ops(le32(memoBase + i - 1))
                    .op(0x86)
                    .op('r')
                    .ops(le32(memoBase + i))
                    .op('0');
        }
        return b.op('j').ops(le32(memoBase + levels));
    }

    /** {k: {k: ... {k: [t, t, ...]}}} under one memoised key. */
    private static PickleBytes nested(int keyLength, int depth, int refs, Random r) {
        PickleBytes b = PickleBytes.protocol2()
                .op('}')
                .string("k".repeat(keyLength))
                .op('q')
                .op(0);
        for (int d = 1; d < depth; d++) {
            b.op('}').op('h').op(0);
        }
        b.op(']').op('(').tensorOf(r).op('q').op(1);
        for (int i = 1; i < refs; i++) {
            b.op('h').op(1);
        }
        b.op('e');
        for (int d = 0; d < depth; d++) {
            b.op('s');
        }
        return b.op('.');
    }
}
