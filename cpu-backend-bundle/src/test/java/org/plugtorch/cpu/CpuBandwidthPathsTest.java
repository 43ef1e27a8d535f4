package org.plugtorch.cpu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.plugtorch.DType;
import org.plugtorch.spi.BinaryOp;
import org.plugtorch.spi.HostBuffer;
import org.plugtorch.spi.Operand;
import org.plugtorch.spi.ReduceOp;
import org.plugtorch.spi.UnaryOp;

/**
 * The memory-bound fast paths, exercised at sizes the TCK does not reach: relu's vectorised form, transposing plans
 * walked in tiles, and reductions split over threads (the same result on one thread and on several).
 */
class CpuBandwidthPathsTest {
    private static final CpuBackend ONE = new CpuBackend(1);
    private static final CpuBackend FOUR = new CpuBackend(4);

    private static float[] random(Random r, int n) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) r.nextGaussian();
        }
        return v;
    }

    @Test
    void reluKeepsNegativeZeroAndNaNAsPyTorchDoes() {
        float[] special = {
            -0f,
            0f,
            Float.NaN,
            Float.intBitsToFloat(0xffc00001),
            Float.NEGATIVE_INFINITY,
            Float.POSITIVE_INFINITY,
            -Float.MIN_VALUE,
            Float.MIN_VALUE,
            -3f,
            3f
        };
        Random r = new Random(3);
        float[] x = random(r, 5000);
        for (int i = 0; i < x.length; i += 7) {
            x[i] = special[(i / 7) % special.length];
        }
        double[] xd = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            xd[i] = x[i];
        }
        for (CpuBackend b : new CpuBackend[] {ONE, FOUR}) {
            HostBuffer out = HostBuffer.allocate(DType.FLOAT32, x.length);
            b.unary(UnaryOp.RELU, Operand.contiguous(out, x.length), Operand.contiguous(HostBuffer.wrap(x), x.length));
            HostBuffer outD = HostBuffer.allocate(DType.FLOAT64, x.length);
            b.unary(
                    UnaryOp.RELU,
                    Operand.contiguous(outD, x.length),
                    Operand.contiguous(HostBuffer.wrap(xd), x.length));
            float[] inPlace = x.clone();
            b.unary(
                    UnaryOp.RELU,
                    Operand.contiguous(HostBuffer.wrap(inPlace), x.length),
                    Operand.contiguous(HostBuffer.wrap(inPlace), x.length));
            for (int i = 0; i < x.length; i++) {
                float expected = x[i] < 0 ? 0f : x[i];
                assertEquals(
                        Float.floatToIntBits(expected), Float.floatToIntBits(out.floats()[i]), "relu(" + x[i] + ")");
                assertEquals(Float.floatToIntBits(expected), Float.floatToIntBits(inPlace[i]), "in place, " + x[i]);
                double expectedD = xd[i] < 0 ? 0d : xd[i];
                assertEquals(
                        Double.doubleToLongBits(expectedD),
                        Double.doubleToLongBits(outD.doubles()[i]),
                        "relu(" + xd[i] + ") in float64");
            }
        }
    }

    @Test
    void transposedOperandsAreWalkedInTilesWithTheSameResults() {
        int rows = 300;
        int cols = 200;
        Random r = new Random(5);
        float[] src = random(r, 7 + rows * cols);
        float[] row = random(r, rows);
        // a view [cols - 10, rows - 3] of src's transpose, from an offset: every tile edge is ragged
        int m = cols - 10;
        int n = rows - 3;
        int offset = 7 + 2 * cols + 4;
        Operand t = new Operand(HostBuffer.wrap(src), offset, new long[] {m, n}, new long[] {1, cols});
        Operand rowOp = new Operand(HostBuffer.wrap(row), 0, new long[] {m, n}, new long[] {0, 1});
        Operand columnOp = new Operand(HostBuffer.wrap(row), 0, new long[] {m, n}, new long[] {1, 0});
        StridedPlan plan =
                StridedPlan.of(new long[] {m, n}, new long[][] {{n, 1}, {1, cols}}, new long[] {0, offset}, true);
        assertTrue(Elementwise.transposing(plan), "the copy must take the tiled path");
        assertTrue(
                Elementwise.transposing(StridedPlan.of(
                        new long[] {m, n}, new long[][] {{n, 1}, {1, cols}, {1, 0}}, new long[] {0, offset, 0}, true)),
                "a transpose with a broadcast column too");
        for (CpuBackend b : new CpuBackend[] {ONE, FOUR}) {
            HostBuffer copy = HostBuffer.allocate(DType.FLOAT32, (long) m * n);
            b.copy(Operand.contiguous(copy, m, n), t);
            HostBuffer widened = HostBuffer.allocate(DType.FLOAT64, (long) m * n);
            b.copy(Operand.contiguous(widened, m, n), t);
            HostBuffer sum = HostBuffer.allocate(DType.FLOAT32, (long) m * n);
            b.binary(BinaryOp.ADD, Operand.contiguous(sum, m, n), t, rowOp);
            HostBuffer sumColumn = HostBuffer.allocate(DType.FLOAT32, (long) m * n);
            b.binary(BinaryOp.ADD, Operand.contiguous(sumColumn, m, n), t, columnOp);
            HostBuffer quotient = HostBuffer.allocate(DType.INT32, (long) m * n);
            int[] ints = new int[src.length];
            for (int i = 0; i < ints.length; i++) {
                ints[i] = 1 + (int) Math.abs(src[i] * 100);
            }
            Operand ti = new Operand(HostBuffer.wrap(ints), offset, new long[] {m, n}, new long[] {1, cols});
            b.binary(BinaryOp.SUB, Operand.contiguous(quotient, m, n), ti, ti);
            for (int i = 0; i < m; i++) {
                for (int j = 0; j < n; j++) {
                    float v = src[offset + i + j * cols];
                    assertEquals(v, copy.floats()[i * n + j], "copy at " + i + ", " + j);
                    assertEquals((double) v, widened.doubles()[i * n + j], "float64 copy at " + i + ", " + j);
                    assertEquals(v + row[j], sum.floats()[i * n + j], "sum at " + i + ", " + j);
                    assertEquals(v + row[i], sumColumn.floats()[i * n + j], "column sum at " + i + ", " + j);
                    assertEquals(0, quotient.ints()[i * n + j], "x - x at " + i + ", " + j);
                }
            }
        }
    }

    @Test
    void aBroadcastRowIsReadInPlaceWithItsShift() {
        int m = 300;
        int n = 500;
        Random r = new Random(11);
        float[] x = random(r, m * n);
        float[] bias = random(r, 3 + n);
        Operand rowOp = new Operand(HostBuffer.wrap(bias), 3, new long[] {m, n}, new long[] {0, 1});
        for (CpuBackend b : new CpuBackend[] {ONE, FOUR}) {
            for (BinaryOp op : new BinaryOp[] {BinaryOp.ADD, BinaryOp.SUB, BinaryOp.MUL, BinaryOp.DIV}) {
                HostBuffer out = HostBuffer.allocate(DType.FLOAT32, (long) m * n);
                b.binary(op, Operand.contiguous(out, m, n), Operand.contiguous(HostBuffer.wrap(x), m, n), rowOp);
                for (int i = 0; i < m; i++) {
                    for (int j = 0; j < n; j++) {
                        float u = x[i * n + j];
                        float v = bias[3 + j];
                        float expected = op == BinaryOp.ADD
                                ? u + v
                                : op == BinaryOp.SUB ? u - v : op == BinaryOp.MUL ? u * v : u / v;
                        assertEquals(expected, out.floats()[i * n + j], op + " at " + i + ", " + j);
                    }
                }
            }
        }
    }

    @Test
    void aLargeFloatSumIsTheSameOnAnyThreadCountAndRoundsOnce() {
        Random r = new Random(7);
        int n = 3 * ReductionKernels.SUM_BLOCK * 5 + 123;
        float[] v = random(r, n);
        double exact = 0;
        for (float x : v) {
            exact += x;
        }
        float[] results = new float[2];
        int k = 0;
        for (CpuBackend b : new CpuBackend[] {ONE, FOUR}) {
            HostBuffer out = HostBuffer.allocate(DType.FLOAT32, 1);
            b.reduce(ReduceOp.SUM, Operand.contiguous(out), Operand.contiguous(HostBuffer.wrap(v), n));
            results[k++] = out.floats()[0];
        }
        assertEquals(results[0], results[1], "fixed blocks: one thread and four add in the same order");
        assertEquals((float) exact, results[0], Math.ulp((float) exact));
        // the same over a transposed view (runs of one element), and in float64
        int rows = 1000;
        int cols = n / rows;
        Operand transposed = new Operand(HostBuffer.wrap(v), 0, new long[] {cols, rows}, new long[] {1, cols});
        double exactT = 0;
        double[] vd = new double[rows * cols];
        for (int i = 0; i < rows * cols; i++) {
            exactT += v[i];
            vd[i] = v[i];
        }
        HostBuffer outT = HostBuffer.allocate(DType.FLOAT32, 1);
        FOUR.reduce(ReduceOp.SUM, Operand.contiguous(outT), transposed);
        assertEquals((float) exactT, outT.floats()[0], Math.ulp((float) exactT));
        HostBuffer outD = HostBuffer.allocate(DType.FLOAT64, 1);
        FOUR.reduce(ReduceOp.SUM, Operand.contiguous(outD), Operand.contiguous(HostBuffer.wrap(vd), vd.length));
        assertEquals(exactT, outD.doubles()[0], 1e-9 * Math.abs(exactT) + 1e-9);
    }

    @Test
    void reductionsOverManyOutputsSplitAcrossThreadsGiveEachOutputExactly() {
        int rows = 1000;
        int cols = 700;
        float[] v = random(new Random(9), rows * cols);
        for (ReduceOp op : new ReduceOp[] {ReduceOp.SUM, ReduceOp.MAX, ReduceOp.ARGMIN}) {
            DType type = op == ReduceOp.ARGMIN ? DType.INT64 : DType.FLOAT32;
            HostBuffer one = HostBuffer.allocate(type, rows);
            HostBuffer four = HostBuffer.allocate(type, rows);
            ONE.reduce(op, Operand.contiguous(one, rows), Operand.contiguous(HostBuffer.wrap(v), rows, cols));
            FOUR.reduce(op, Operand.contiguous(four, rows), Operand.contiguous(HostBuffer.wrap(v), rows, cols));
            if (type == DType.INT64) {
                assertArrayEquals(one.longs(), four.longs(), op.toString());
            } else {
                assertArrayEquals(one.floats(), four.floats(), op.toString());
            }
        }
        HostBuffer sums = HostBuffer.allocate(DType.FLOAT32, rows);
        FOUR.reduce(ReduceOp.SUM, Operand.contiguous(sums, rows), Operand.contiguous(HostBuffer.wrap(v), rows, cols));
        for (int i = 0; i < rows; i++) {
            double exact = 0;
            for (int j = 0; j < cols; j++) {
                exact += v[i * cols + j];
            }
            assertEquals((float) exact, sums.floats()[i], Math.ulp((float) exact), "row " + i);
        }
    }
}
