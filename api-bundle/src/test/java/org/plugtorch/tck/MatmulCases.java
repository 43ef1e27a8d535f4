package org.plugtorch.tck;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.DynamicNode;
import org.plugtorch.DType;

/**
 * The matmul cases, on every numeric dtype the backend claims: degenerate sizes (M, N or K of 1, K = 0, empty),
 * odd sizes, transposed operands as the runtime passes them ({@code x @ W.t()} is a strided B), broadcast batches
 * (stride 0), strided and offset operands and destinations, vector products, and products large enough for the
 * blocked and multithreaded paths. Float results are checked within {@code (K + 2)} roundings of the sum of
 * |products|.
 */
final class MatmulCases {
    private interface Layouts {
        /** Layouts of dst [B, M, N], a [B, M, K], b [B, K, N], in that order. */
        TckLayout[] of(long[] c, long[] a, long[] b, Random r);
    }

    private static final class Shape {
        final String label;
        final int batch;
        final int m;
        final int k;
        final int n;
        final Layouts layouts;
        final boolean specials;

        Shape(String label, int batch, int m, int k, int n, Layouts layouts, boolean specials) {
            this.label = label;
            this.batch = batch;
            this.m = m;
            this.k = k;
            this.n = n;
            this.layouts = layouts;
            this.specials = specials;
        }
    }

    private static final Layouts CONTIGUOUS =
            (c, a, b, r) -> new TckLayout[] {TckLayout.contiguous(c), TckLayout.contiguous(a), TckLayout.contiguous(b)};

    private static final List<Shape> SHAPES = List.of(
            new Shape("1x1x1", 1, 1, 1, 1, CONTIGUOUS, false),
            new Shape(
                    "K=0 writes zeros",
                    2,
                    3,
                    0,
                    4,
                    (c, a, b, r) ->
                            new TckLayout[] {TckLayout.strided(c, r), TckLayout.contiguous(a), TckLayout.contiguous(b)},
                    false),
            new Shape("K=1, an outer product", 2, 5, 1, 7, CONTIGUOUS, false),
            new Shape("odd sizes", 1, 7, 5, 3, CONTIGUOUS, false),
            new Shape("medium", 1, 33, 65, 17, CONTIGUOUS, false),
            new Shape(
                    "x @ W.t()",
                    1,
                    20,
                    40,
                    30,
                    (c, a, b, r) -> new TckLayout[] {
                        TckLayout.contiguous(c), TckLayout.contiguous(a), TckLayout.transposedLastTwo(b)
                    },
                    false),
            new Shape(
                    "a transposed",
                    2,
                    9,
                    13,
                    11,
                    (c, a, b, r) -> new TckLayout[] {
                        TckLayout.contiguous(c), TckLayout.transposedLastTwo(a), TckLayout.contiguous(b)
                    },
                    false),
            new Shape(
                    "broadcast batch of a",
                    3,
                    8,
                    9,
                    10,
                    (c, a, b, r) -> new TckLayout[] {
                        TckLayout.contiguous(c), TckLayout.contiguous(a).withBroadcastBatch(), TckLayout.contiguous(b)
                    },
                    false),
            new Shape(
                    "broadcast batch of W.t()",
                    6,
                    12,
                    10,
                    14,
                    (c, a, b, r) -> new TckLayout[] {
                        TckLayout.contiguous(c),
                        TckLayout.contiguous(a),
                        TckLayout.transposedLastTwo(b).withBroadcastBatch()
                    },
                    false),
            new Shape(
                    "all strided",
                    2,
                    6,
                    7,
                    5,
                    (c, a, b, r) ->
                            new TckLayout[] {TckLayout.strided(c, r), TckLayout.strided(a, r), TckLayout.strided(b, r)},
                    false),
            new Shape(
                    "transposed destination",
                    2,
                    5,
                    4,
                    6,
                    (c, a, b, r) -> new TckLayout[] {
                        TckLayout.transposedLastTwo(c), TckLayout.offset(a, r), TckLayout.permuted(b, r)
                    },
                    false),
            new Shape("vector-matrix (M=1)", 1, 1, 64, 50, CONTIGUOUS, false),
            new Shape(
                    "matrix-vector (N=1)",
                    1,
                    50,
                    64,
                    1,
                    (c, a, b, r) ->
                            new TckLayout[] {TckLayout.contiguous(c), TckLayout.contiguous(a), TckLayout.strided(b, r)},
                    false),
            new Shape("NaN and inf propagate", 2, 6, 9, 7, CONTIGUOUS, true),
            new Shape("empty M", 2, 0, 3, 4, CONTIGUOUS, false),
            new Shape("empty batch", 0, 3, 3, 4, CONTIGUOUS, false),
            new Shape("large (blocked, threaded)", 1, 40, 150, 530, CONTIGUOUS, false),
            new Shape(
                    "large x @ W.t()",
                    1,
                    64,
                    200,
                    170,
                    (c, a, b, r) -> new TckLayout[] {
                        TckLayout.contiguous(c), TckLayout.contiguous(a), TckLayout.transposedLastTwo(b)
                    },
                    false));

    private MatmulCases() {}

    static List<DynamicNode> matmul(TckRunner run) {
        List<DynamicNode> out = new ArrayList<>();
        for (DType dtype : run.dtypes()) {
            if (dtype == DType.BOOL) {
                continue; // the runtime refuses bool products, as PyTorch does
            }
            List<DynamicNode> tests = new ArrayList<>();
            for (Shape s : SHAPES) {
                String label = s.label + " [" + s.batch + ", " + s.m + ", " + s.k + "] @ [" + s.batch + ", " + s.k
                        + ", " + s.n + "]";
                tests.add(run.test(label, () -> build("matmul " + dtype.torchName() + " " + label, dtype, s)));
            }
            out.add(TckRunner.container("matmul " + dtype.torchName(), tests));
        }
        return out;
    }

    private static TckCase build(String name, DType dtype, Shape s) {
        TckCase c = new TckCase(name);
        long[] cs = {s.batch, s.m, s.n};
        long[] as = {s.batch, s.m, s.k};
        long[] bs = {s.batch, s.k, s.n};
        TckLayout[] l = s.layouts.of(cs, as, bs, c.random());
        TckValues values = !dtype.isFloatingPoint()
                ? TckValues.GENERAL
                : s.specials ? TckValues.MODERATE_WITH_SPECIALS : TckValues.MODERATE;
        c.operand("destination", dtype, l[0], TckValues.GENERAL);
        c.operand("a", dtype, l[1], values);
        c.operand("b", dtype, l[2], values);
        if (dtype.isFloatingPoint()) {
            c.tolerance(Tolerance.accumulated(s.k));
        }
        return c.call((b, o) -> b.matmul(o[0], o[1], o[2]));
    }
}
