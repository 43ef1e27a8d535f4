package org.plugtorch.cuda;

import java.util.List;

/**
 * The parameter structs of {@code plugtorch.cuh} as the host packs them: their fields in declaration order, each a
 * number of 64-bit integers. The structs hold nothing else, so they have no padding and pack as little-endian longs;
 * a test compares these lists with the header.
 */
final class KernelStructs {
    static final int MAX_DIMS = 8;
    static final int MAX_OPERANDS = 4;

    /** One field: its name in the header and how many longs it holds. */
    static final class Field {
        final String name;
        final int longs;

        Field(String name, int longs) {
            this.name = name;
            this.longs = longs;
        }
    }

    static final List<Field> STRIDED = List.of(
            new Field("numel", 1),
            new Field("rank", 1),
            new Field("shape", MAX_DIMS),
            new Field("offset", MAX_OPERANDS),
            new Field("stride", MAX_OPERANDS * MAX_DIMS));

    static final List<Field> REDUCTION = List.of(
            new Field("outputs", 1),
            new Field("inner", 1),
            new Field("outerRank", 1),
            new Field("innerRank", 1),
            new Field("outerShape", MAX_DIMS),
            new Field("innerShape", MAX_DIMS),
            new Field("dstOffset", 1),
            new Field("srcOffset", 1),
            new Field("dstStride", MAX_DIMS),
            new Field("srcOuterStride", MAX_DIMS),
            new Field("srcInnerStride", MAX_DIMS));

    static final List<Field> MATMUL = List.of(
            new Field("batch", 1),
            new Field("m", 1),
            new Field("n", 1),
            new Field("k", 1),
            new Field("aOffset", 1),
            new Field("bOffset", 1),
            new Field("cOffset", 1),
            new Field("aBatch", 1),
            new Field("aRow", 1),
            new Field("aCol", 1),
            new Field("bBatch", 1),
            new Field("bRow", 1),
            new Field("bCol", 1),
            new Field("cBatch", 1),
            new Field("cRow", 1),
            new Field("cCol", 1));

    private KernelStructs() {}

    /** Longs in a struct. */
    static int longs(List<Field> struct) {
        return struct.stream().mapToInt(f -> f.longs).sum();
    }
}
