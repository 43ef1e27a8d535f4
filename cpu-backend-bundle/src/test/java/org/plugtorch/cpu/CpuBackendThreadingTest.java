package org.plugtorch.cpu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.plugtorch.DType;
import org.plugtorch.Device;
import org.plugtorch.spi.BinaryOp;
import org.plugtorch.spi.HostBuffer;
import org.plugtorch.spi.Operand;
import org.plugtorch.spi.ReduceOp;

/** The CPU backend's threading: results independent of the thread count, concurrent callers, deactivation. */
class CpuBackendThreadingTest {
    private static float[] random(Random r, int n) {
        float[] v = new float[n];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) r.nextGaussian();
        }
        return v;
    }

    /** {@code x[m, k] @ w[n, k].t()}: the weight arrives transposed, as in a linear layer. */
    private static float[] linear(CpuBackend backend, float[] x, float[] w, int m, int k, int n) {
        HostBuffer out = HostBuffer.allocate(DType.FLOAT32, (long) m * n);
        Operand a = Operand.contiguous(HostBuffer.wrap(x), 1, m, k);
        Operand b = new Operand(HostBuffer.wrap(w), 0, new long[] {1, k, n}, new long[] {0, 1, k});
        backend.matmul(Operand.contiguous(out, 1, m, n), a, b);
        return out.floats();
    }

    @Test
    void largeProductIsBitForBitTheSameOnOneAndSeveralThreads() {
        int m = 200;
        int k = 300;
        int n = 530;
        Random r = new Random(1);
        float[] x = random(r, m * k);
        float[] w = random(r, n * k);
        long work = (long) m * n * k;
        assertTrue(work > Matmul.PARALLEL_WORK, "the product must take the multithreaded path");
        float[] one = linear(new CpuBackend(1), x, w, m, k, n);
        float[] several = linear(new CpuBackend(4), x, w, m, k, n);
        assertArrayEquals(one, several, "each element sums its products in the same order whatever the split");
        for (int i = 0; i < m; i += 37) {
            for (int j = 0; j < n; j += 41) {
                double exact = 0;
                double magnitude = 0;
                for (int kk = 0; kk < k; kk++) {
                    exact += (double) x[i * k + kk] * w[j * k + kk];
                    magnitude += Math.abs((double) x[i * k + kk] * w[j * k + kk]);
                }
                double bound = (k + 2) * 0x1p-24 * magnitude;
                assertTrue(
                        Math.abs(one[i * n + j] - exact) <= bound,
                        "element [" + i + ", " + j + "] = " + one[i * n + j] + ", exact " + exact + " within " + bound);
            }
        }
    }

    @Test
    void largeProductOnTheScalarPathIsTheSameOnOneAndSeveralThreads() {
        int m = 200;
        int k = 300;
        int n = 530;
        Random r = new Random(2);
        float[] x = random(r, m * k);
        float[] w = random(r, n * k);
        assertArrayEquals(
                linear(new CpuBackend(1, "scalar"), x, w, m, k, n), linear(new CpuBackend(4, "scalar"), x, w, m, k, n));
    }

    @Test
    void largeElementwiseOpsAreTheSameOnOneAndSeveralThreads() {
        int rows = 333;
        int cols = 1117; // 372k elements: cut into five ranges on four threads, most cuts inside a run
        assertTrue((long) rows * cols > 4 * Elementwise.PARALLEL_ELEMENTS, "the op must take the multithreaded path");
        Random r = new Random(3);
        float[] x = random(r, rows * cols);
        float[] row = random(r, cols);
        float[][] results = new float[2][];
        int[] threadCounts = {1, 4};
        for (int t = 0; t < 2; t++) {
            CpuBackend b = new CpuBackend(threadCounts[t]);
            HostBuffer out = HostBuffer.allocate(DType.FLOAT32, 2L * rows * cols);
            // every other element of a buffer twice the size, from offset 1
            Operand dst = new Operand(out, 1, new long[] {rows, cols}, new long[] {2L * cols, 2});
            Operand transposed = new Operand(HostBuffer.wrap(x), 0, new long[] {rows, cols}, new long[] {1, rows});
            Operand broadcastRow = new Operand(HostBuffer.wrap(row), 0, new long[] {rows, cols}, new long[] {0, 1});
            b.binary(BinaryOp.MUL, dst, transposed, broadcastRow);
            b.unary(org.plugtorch.spi.UnaryOp.EXP, dst, dst);
            results[t] = out.floats();
        }
        assertArrayEquals(results[0], results[1]);
        assertEquals((float) Math.exp(x[5 * rows + 2] * row[5]), results[0][1 + 2 * 2 * cols + 2 * 5]);
    }

    @Test
    void concurrentCallersGetTheirOwnResults() throws Exception {
        CpuBackend shared = new CpuBackend(2);
        CpuBackend alone = new CpuBackend(1);
        int callers = 6;
        int size = 150; // 150^3 multiply-adds: above the threshold, so callers also share the helper pool
        List<float[][]> inputs = new ArrayList<>();
        List<float[]> expected = new ArrayList<>();
        for (int c = 0; c < callers; c++) {
            Random r = new Random(100 + c);
            float[][] in = {random(r, size * size), random(r, size * size)};
            inputs.add(in);
            expected.add(program(alone, in[0], in[1], size));
        }
        ExecutorService pool = Executors.newFixedThreadPool(callers);
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int c = 0; c < callers; c++) {
                int caller = c;
                futures.add(pool.submit(() -> {
                    for (int round = 0; round < 5; round++) {
                        float[] got = program(shared, inputs.get(caller)[0], inputs.get(caller)[1], size);
                        assertArrayEquals(expected.get(caller), got, "caller " + caller + ", round " + round);
                    }
                    return null;
                }));
            }
            for (Future<?> f : futures) {
                f.get(60, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    /** {@code sum(x @ w + x, dim=1)} followed by the row maxima: a product, a binary op and two reductions. */
    private static float[] program(CpuBackend b, float[] x, float[] w, int size) {
        long[] square = {size, size};
        HostBuffer prod = HostBuffer.allocate(DType.FLOAT32, (long) size * size);
        b.matmul(
                Operand.contiguous(prod, 1, size, size),
                Operand.contiguous(HostBuffer.wrap(x), 1, size, size),
                Operand.contiguous(HostBuffer.wrap(w), 1, size, size));
        Operand p = Operand.contiguous(prod, square);
        b.binary(BinaryOp.ADD, p, p, Operand.contiguous(HostBuffer.wrap(x), square));
        HostBuffer sums = HostBuffer.allocate(DType.FLOAT32, size);
        b.reduce(ReduceOp.SUM, Operand.contiguous(sums, size), p);
        HostBuffer max = HostBuffer.allocate(DType.FLOAT32, size);
        b.reduce(ReduceOp.MAX, Operand.contiguous(max, size), p);
        float[] out = new float[2 * size];
        System.arraycopy(sums.floats(), 0, out, 0, size);
        System.arraycopy(max.floats(), 0, out, size, size);
        return out;
    }

    @Test
    void afterDeactivationKernelsRunOnTheCallingThread() {
        int m = 160;
        int k = 170;
        int n = 180;
        Random r = new Random(7);
        float[] x = random(r, m * k);
        float[] w = random(r, n * k);
        float[] before = linear(new CpuBackend(2), x, w, m, k, n);
        CpuBackend backend = new CpuBackend(2);
        backend.deactivate();
        assertArrayEquals(before, linear(backend, x, w, m, k, n));
    }

    @Test
    void tilesCoverEveryOutputElementOnce() {
        int[][] problems = {{1, 200, 530}, {3, 7, 1000}, {1, 5, 3}, {9, 40, 40}, {2, 1, 600}, {1, 600, 1}};
        for (int[] p : problems) {
            for (int parts : new int[] {1, 2, 4, 7}) {
                TileCoverage.assertEachElementOnce(p, parts, Matmul.split(p[0], p[1], p[2], parts));
            }
        }
    }

    @Test
    void describesItsThreadsAndKernels() {
        CpuBackend backend = new CpuBackend(3);
        assertEquals(Device.CPU, backend.devices().get(0).device());
        assertEquals("3", backend.devices().get(0).properties().get("threads"));
        assertTrue(
                backend.devices().get(0).properties().get("gemm").startsWith("Vector API ("),
                backend.devices().get(0).properties().get("gemm"));
        assertTrue(
                backend.devices().get(0).name().startsWith("Java "),
                backend.devices().get(0).name());
        String vector = "gemm: Vector API (" + VectorFloatGemm.SPECIES.vectorBitSize() + "-bit float, "
                + VectorFloatGemm.LANES + " lanes)";
        assertTrue(
                backend.devices().get(0).name().endsWith(vector),
                backend.devices().get(0).name());
        String scalar = new CpuBackend(1, "scalar").devices().get(0).name();
        assertTrue(
                scalar.endsWith("gemm: scalar (forced by plugtorch.cpu.gemm=scalar or the backend's constructor)"),
                scalar);
    }
}
