package org.plugtorch.tck;

import java.util.Random;

/**
 * How an element-wise case lays out its operands: the shapes and layouts the runtime really passes (contiguous
 * results, broadcasts, Python numbers, transposes, slices with steps, in-place updates), plus the edges (rank 0,
 * empty, all ones, larger than one chunk of a blocked kernel).
 */
enum ElementwiseScenario {
    /** Every operand row-major, at offset 0. */
    CONTIGUOUS,
    /** Zero-dimensional operands at non-zero offsets. */
    RANK0,
    /** A few thousand contiguous elements: long runs with vector tails. */
    LARGE,
    /** The first input broadcast (stride 0) along some dimensions. */
    BROADCAST,
    /** The last input is a broadcast scalar (all strides 0), the others contiguous: {@code x * 0.5}. */
    SCALAR_LAST,
    /** The first input is a broadcast scalar, the other strided, the destination permuted: {@code 2 - x.t()}. */
    SCALAR_FIRST,
    /** A strided destination; inputs permuted or sliced with steps and offsets. */
    STRIDED,
    /** A permuted destination over offset and contiguous inputs. */
    PERMUTED_OUT,
    /** The first input is the destination itself (same buffer, same strided view): {@code x.add_(y)}. */
    IN_PLACE,
    /** The last input is the destination itself, at an offset. */
    IN_PLACE_LAST,
    /** Both inputs are one operand ({@code x * x}), permuted. */
    SAME_INPUT,
    /** A shape with a zero dimension: nothing to do, nothing to write. */
    EMPTY,
    /** Mostly dimensions of size 1, with strided and broadcast layouts. */
    ONES,
    /** Some thousands of elements with a strided destination, a transposed and a broadcast input. */
    LARGE_STRIDED;

    long[] shape(Random r) {
        switch (this) {
            case RANK0:
                return new long[0];
            case LARGE:
                return new long[] {2500 + r.nextInt(700)};
            case LARGE_STRIDED:
                return new long[] {40 + r.nextInt(20), 50 + r.nextInt(30)};
            case BROADCAST:
            case SAME_INPUT:
                return randomShape(r, 2, 4);
            case EMPTY: {
                long[] s = randomShape(r, 1, 3);
                s[r.nextInt(s.length)] = 0;
                return s;
            }
            case ONES: {
                long[] s = new long[2 + r.nextInt(3)];
                java.util.Arrays.fill(s, 1);
                s[r.nextInt(s.length)] = 2 + r.nextInt(5);
                return s;
            }
            default:
                return randomShape(r, 1, 4);
        }
    }

    /** Rank in [minRank, maxRank], every dimension 1 to 6. */
    static long[] randomShape(Random r, int minRank, int maxRank) {
        long[] s = new long[minRank + r.nextInt(maxRank - minRank + 1)];
        for (int i = 0; i < s.length; i++) {
            s[i] = 1 + r.nextInt(6);
        }
        return s;
    }

    TckLayout output(long[] shape, Random r) {
        switch (this) {
            case RANK0:
            case IN_PLACE_LAST:
                return TckLayout.offset(shape, r);
            case SCALAR_FIRST:
            case PERMUTED_OUT:
                return TckLayout.permuted(shape, r);
            case STRIDED:
            case IN_PLACE:
            case EMPTY:
            case ONES:
            case LARGE_STRIDED:
                return TckLayout.strided(shape, r);
            default:
                return TckLayout.contiguous(shape);
        }
    }

    /** The layout of input {@code i} of {@code n}, when it does not alias the destination or another input. */
    TckLayout input(int i, int n, long[] shape, Random r) {
        switch (this) {
            case RANK0:
                return TckLayout.offset(shape, r);
            case BROADCAST:
                return i == 0 ? TckLayout.broadcast(shape, r) : TckLayout.contiguous(shape);
            case SCALAR_LAST:
                return i == n - 1 ? TckLayout.scalar(shape, r) : TckLayout.contiguous(shape);
            case SCALAR_FIRST:
                return i == 0 ? TckLayout.scalar(shape, r) : TckLayout.strided(shape, r);
            case STRIDED:
                return i % 2 == 0 ? TckLayout.permuted(shape, r) : TckLayout.strided(shape, r);
            case PERMUTED_OUT:
                return i % 2 == 0 ? TckLayout.offset(shape, r) : TckLayout.contiguous(shape);
            case IN_PLACE:
                return TckLayout.broadcast(shape, r);
            case IN_PLACE_LAST:
            case SAME_INPUT:
                return TckLayout.permuted(shape, r);
            case EMPTY:
                return TckLayout.strided(shape, r);
            case ONES:
                return i % 2 == 0 ? TckLayout.permuted(shape, r) : TckLayout.broadcast(shape, r);
            case LARGE_STRIDED:
                if (i == 0) {
                    return TckLayout.transposedLastTwo(shape);
                }
                return i == 1
                        ? TckLayout.broadcast(shape, new boolean[] {true, false}, r)
                        : TckLayout.strided(shape, r);
            default:
                return TckLayout.contiguous(shape);
        }
    }

    /** The input that is the destination itself, or -1. */
    int inPlaceInput(int n) {
        return this == IN_PLACE ? 0 : this == IN_PLACE_LAST ? n - 1 : -1;
    }

    /** Whether input 1 repeats input 0. */
    boolean repeatsInput() {
        return this == SAME_INPUT;
    }

    String label() {
        return name().toLowerCase().replace('_', '-');
    }

    /**
     * The case labels to generate: one per run, each seeding its own shapes and data, so the layouts most likely to
     * hide a bug (random strides, broadcasts, random ranks) are drawn several times.
     */
    java.util.List<String> labels() {
        int runs = this == STRIDED ? 3 : this == BROADCAST || this == CONTIGUOUS || this == IN_PLACE ? 2 : 1;
        java.util.List<String> out = new java.util.ArrayList<>();
        for (int i = 1; i <= runs; i++) {
            out.add(i == 1 ? label() : label() + " #" + i);
        }
        return out;
    }
}
