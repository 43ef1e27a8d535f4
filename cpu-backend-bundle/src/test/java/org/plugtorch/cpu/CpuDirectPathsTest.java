package org.plugtorch.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Array;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.plugtorch.DType;
import org.plugtorch.spi.BinaryOp;
import org.plugtorch.spi.HostBuffer;
import org.plugtorch.spi.Operand;
import org.plugtorch.tck.ReferenceBackend;

/**
 * The paths that skip the strided plan for small calls (broadcast scalar, row and column, aligned operands at an
 * offset), where with a broadcast scalar branch, and the fused scaled add: each must give, bit for bit, what the
 * element-wise definition gives.
 */
class CpuDirectPathsTest {
    private static final CpuBackend ONE = new CpuBackend(1);
    private static final CpuBackend FOUR = new CpuBackend(4);
    private static final BinaryOp[] OPS = {
        BinaryOp.ADD, BinaryOp.SUB, BinaryOp.MUL, BinaryOp.DIV, BinaryOp.MAXIMUM, BinaryOp.POW
    };

    private static float[] random(Random r, int n) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) r.nextGaussian();
        }
        return v;
    }

    private static float apply(BinaryOp op, float x, float y) {
        switch (op) {
            case ADD:
                return x + y;
            case SUB:
                return x - y;
            case MUL:
                return x * y;
            case DIV:
                return x / y;
            case MAXIMUM:
                return FloatKernels.maximum(x, y);
            default:
                return FloatKernels.pow(x, y);
        }
    }

    private static void assertBits(float expected, float actual, String what) {
        assertEquals(Float.floatToIntBits(expected), Float.floatToIntBits(actual), what);
    }

    /** {@code [m, n]} at offset 3 of its buffers, with b broadcast as {@code bStrides} from offset 2. */
    private static void checkBroadcast(BinaryOp op, int m, int n, long[] bStrides, int bSize) {
        Random r = new Random(op.ordinal() * 31 + m * 7 + n);
        float[] a = random(r, m * n + 3);
        float[] b = random(r, bSize + 2);
        HostBuffer out = HostBuffer.allocate(DType.FLOAT32, m * n + 3);
        long[] shape = {m, n};
        ONE.binary(
                op,
                new Operand(out, 3, shape, new long[] {n, 1}),
                new Operand(HostBuffer.wrap(a), 3, shape, new long[] {n, 1}),
                new Operand(HostBuffer.wrap(b), 2, shape, bStrides));
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                float y = b[(int) (2 + i * bStrides[0] + j * bStrides[1])];
                assertBits(apply(op, a[3 + i * n + j], y), out.floats()[3 + i * n + j], op + " at " + i + "," + j);
            }
        }
        assertBits(0f, out.floats()[0], "before the output");
    }

    @Test
    void broadcastScalarRowAndColumnGiveTheElementWiseValues() {
        for (BinaryOp op : OPS) {
            checkBroadcast(op, 64, 10, new long[] {0, 0}, 1); // a scalar
            checkBroadcast(op, 64, 10, new long[] {0, 1}, 10); // a row
            checkBroadcast(op, 64, 10, new long[] {1, 0}, 64); // a column
            checkBroadcast(op, 5, 7, new long[] {7, 1}, 35); // contiguous at another offset
            checkBroadcast(op, 5, 7, new long[] {1, 5}, 35); // a transpose: the plan's business
        }
    }

    /**
     * float64, int32 and int64 have float32's kernels (one template): a broadcast scalar, row or column, a transpose,
     * small (the direct paths) and large (the plan, threaded), comparisons included, give the reference's values.
     */
    @Test
    void everyNumericDtypeGivesTheReferenceValuesOnEveryBroadcast() {
        ReferenceBackend reference = new ReferenceBackend();
        BinaryOp[] ops = {
            BinaryOp.ADD,
            BinaryOp.SUB,
            BinaryOp.MUL,
            BinaryOp.MAXIMUM,
            BinaryOp.MINIMUM,
            BinaryOp.POW,
            BinaryOp.EQ,
            BinaryOp.LT,
            BinaryOp.GE
        };
        for (DType t : new DType[] {DType.FLOAT64, DType.INT32, DType.INT64}) {
            for (BinaryOp op : ops) {
                for (int[] mn : new int[][] {{64, 10}, {600, 300}}) {
                    int m = mn[0];
                    int n = mn[1];
                    long[][] layouts = {{0, 0}, {0, 1}, {1, 0}, {1, m}};
                    int[] sizes = {1, n, m, m * n};
                    for (int l = 0; l < layouts.length; l++) {
                        Random r = new Random(31L * op.ordinal() + 7L * l + m);
                        boolean wide = op != BinaryOp.POW; // the reference multiplies exponent times
                        HostBuffer a = values(t, r, m * n + 3, wide);
                        HostBuffer b = values(t, r, sizes[l] + 2, wide);
                        long[] shape = {m, n};
                        Operand x = new Operand(a, 3, shape, new long[] {n, 1});
                        Operand y = new Operand(b, 2, shape, layouts[l]);
                        DType out = op.producesBool() ? DType.BOOL : t;
                        HostBuffer expected = HostBuffer.allocate(out, m * n + 3);
                        reference.binary(op, new Operand(expected, 3, shape, new long[] {n, 1}), x, y);
                        for (CpuBackend backend : new CpuBackend[] {ONE, FOUR}) {
                            HostBuffer actual = HostBuffer.allocate(out, m * n + 3);
                            backend.binary(op, new Operand(actual, 3, shape, new long[] {n, 1}), x, y);
                            assertSameElements(
                                    expected,
                                    actual,
                                    op + " " + t + " [" + m + ", " + n + "] @ b strides " + layouts[l][0] + ","
                                            + layouts[l][1]);
                        }
                    }
                }
            }
        }
    }

    @Test
    void squaringByABroadcastTwoIsExactForEveryNumericDtype() {
        ReferenceBackend reference = new ReferenceBackend();
        for (DType t : new DType[] {DType.FLOAT32, DType.FLOAT64, DType.INT32, DType.INT64}) {
            HostBuffer a = values(t, new Random(3), 1000, true);
            HostBuffer two = HostBuffer.allocate(t, 1);
            setTwo(two);
            Operand x = Operand.contiguous(a, 1000);
            Operand y = new Operand(two, 0, new long[] {1000}, new long[] {0});
            HostBuffer expected = HostBuffer.allocate(t, 1000);
            reference.binary(BinaryOp.POW, Operand.contiguous(expected, 1000), x, y);
            HostBuffer actual = HostBuffer.allocate(t, 1000);
            ONE.binary(BinaryOp.POW, Operand.contiguous(actual, 1000), x, y);
            assertSameElements(expected, actual, "pow(x, 2) " + t);
        }
    }

    private static void setTwo(HostBuffer h) {
        Object array = h.array();
        if (array instanceof float[]) {
            ((float[]) array)[0] = 2f;
        } else if (array instanceof double[]) {
            ((double[]) array)[0] = 2d;
        } else if (array instanceof int[]) {
            ((int[]) array)[0] = 2;
        } else {
            ((long[]) array)[0] = 2L;
        }
    }

    /**
     * Small integers and halves, negatives included, so that NaN from pow and ties occur; {@code wide} adds integers
     * near the ends of their range, so that sums and products wrap around.
     */
    private static HostBuffer values(DType t, Random r, int n, boolean wide) {
        HostBuffer h = HostBuffer.allocate(t, n);
        Object array = h.array();
        for (int i = 0; i < n; i++) {
            int v = r.nextInt(13) - 6;
            if (array instanceof float[]) {
                ((float[]) array)[i] = v / 2f;
            } else if (array instanceof double[]) {
                ((double[]) array)[i] = v / 2d + (r.nextBoolean() ? 0 : r.nextGaussian());
            } else if (array instanceof int[]) {
                ((int[]) array)[i] = wide && r.nextInt(50) == 0 ? Integer.MAX_VALUE - v : v;
            } else {
                ((long[]) array)[i] = wide && r.nextInt(50) == 0 ? Long.MIN_VALUE + v : v;
            }
        }
        return h;
    }

    private static void assertSameElements(HostBuffer expected, HostBuffer actual, String what) {
        for (int i = 0; i < expected.size(); i++) {
            Object e = Array.get(expected.array(), i);
            Object a = Array.get(actual.array(), i);
            if (!e.equals(a)) {
                assertEquals(e, a, what + " at " + i);
            }
        }
    }

    @Test
    void comparisonWithABroadcastScalarWritesBytes() {
        float[] a = {-1f, 0f, -0f, 2f, Float.NaN, Float.NEGATIVE_INFINITY};
        HostBuffer out = HostBuffer.allocate(DType.BOOL, a.length);
        ONE.binary(
                BinaryOp.LE,
                Operand.contiguous(out, a.length),
                Operand.contiguous(HostBuffer.wrap(a), a.length),
                new Operand(HostBuffer.wrap(new float[] {0f}), 0, new long[] {a.length}, new long[] {0}));
        byte[] expected = {1, 1, 1, 0, 0, 1};
        for (int i = 0; i < a.length; i++) {
            assertEquals(expected[i], out.bools()[i], "le(" + a[i] + ", 0)");
        }
    }

    @Test
    void whereWithAScalarBranchOnEitherSide() {
        Random r = new Random(5);
        int n = 300;
        float[] x = random(r, n);
        byte[] c = new byte[n];
        for (int i = 0; i < n; i++) {
            c[i] = (byte) (x[i] > 0 ? 1 : 0);
        }
        Operand scalar = new Operand(HostBuffer.wrap(new float[] {9f, -0f}), 1, new long[] {n}, new long[] {0});
        for (boolean scalarIfTrue : new boolean[] {true, false}) {
            HostBuffer out = HostBuffer.allocate(DType.FLOAT32, n);
            Operand xs = Operand.contiguous(HostBuffer.wrap(x), n);
            ONE.where(
                    Operand.contiguous(out, n),
                    Operand.contiguous(HostBuffer.wrapBool(c), n),
                    scalarIfTrue ? scalar : xs,
                    scalarIfTrue ? xs : scalar);
            for (int i = 0; i < n; i++) {
                float expected = (c[i] != 0) == scalarIfTrue ? -0f : x[i];
                assertBits(expected, out.floats()[i], "where at " + i + ", scalar if true: " + scalarIfTrue);
            }
        }
    }

    @Test
    void scaledAddRoundsTheProductBeforeTheSumOnOneThreadAndSeveral() {
        Random r = new Random(9);
        for (int n : new int[] {1, 37, 300_001}) {
            for (int shift : new int[] {0, 5}) {
                float[] p = random(r, n);
                float[] g = random(r, n + shift);
                double alpha = -0.01;
                float[] expected = new float[n];
                for (int i = 0; i < n; i++) {
                    float product = g[i + shift] * (float) alpha;
                    expected[i] = p[i] + product;
                }
                for (CpuBackend b : new CpuBackend[] {ONE, FOUR}) {
                    float[] q = p.clone();
                    Operand self = Operand.contiguous(HostBuffer.wrap(q), n);
                    assertTrue(b.addScaled(
                            self, self, new Operand(HostBuffer.wrap(g), shift, new long[] {n}, new long[] {1}), alpha));
                    for (int i = 0; i < n; i++) {
                        assertBits(expected[i], q[i], "n=" + n + ", shift=" + shift + ", at " + i);
                    }
                }
            }
        }
        double[] p = {1.5, -2.25};
        double[] g = {0.1, 0.3};
        Operand self = Operand.contiguous(HostBuffer.wrap(p), 2);
        assertTrue(ONE.addScaled(self, self, Operand.contiguous(HostBuffer.wrap(g), 2), 1e-3));
        assertEquals(1.5 + 0.1 * 1e-3, p[0]);
        assertEquals(-2.25 + 0.3 * 1e-3, p[1]);
    }

    @Test
    void scaledAddDeclinesWhatItDoesNotFuse() {
        float[] p = new float[6];
        float[] g = new float[6];
        Operand strided = new Operand(HostBuffer.wrap(p), 0, new long[] {3}, new long[] {2});
        assertFalse(
                ONE.addScaled(strided, strided, new Operand(HostBuffer.wrap(g), 0, new long[] {3}, new long[] {1}), 2));
        Operand ints = Operand.contiguous(HostBuffer.wrap(new int[] {1, 2}), 2);
        assertFalse(ONE.addScaled(ints, ints, Operand.contiguous(HostBuffer.wrap(new int[] {1, 2}), 2), 2));
    }
}
