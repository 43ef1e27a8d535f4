package org.plugtorch.cpu;

import java.util.ArrayList;
import java.util.List;
import org.plugtorch.DType;
import org.plugtorch.spi.HostBuffer;
import org.plugtorch.spi.Operand;

/**
 * Batched matrix multiply: cuts {@code dst[b] = a[b] @ b[b]} into tiles (a batch item, a range of rows, a range of
 * columns) and runs them on one thread, or spread over the backend's threads when the problem is big enough to
 * repay the hand-off. Each tile is computed whole by one thread, in the same order whatever the split, so the
 * result does not depend on the number of threads.
 */
final class Matmul {
    /**
     * Multiply-adds below which one thread does everything: a hand-off to a helper costs some 10-20 µs, the time of
     * about 2^21 multiply-adds (a 128³ product) in the blocked kernel.
     */
    static final long PARALLEL_WORK = 1L << 21;

    /** Rows per tile at least, so that each tile's packing of B stays small next to its arithmetic. */
    private static final int MIN_TILE_ROWS = 16;

    /** The per-dtype kernel: computes one tile of one batch item. */
    interface Tiles {
        void tile(int batch, int rowFrom, int rowTo, int colFrom, int colTo);
    }

    /**
     * Multiply-adds from which the register-blocked kernel cuts twice as many tiles as threads, so that a thread
     * slowed by a neighbour on its core leaves work to the other; below it one tile per thread keeps packing small.
     */
    static final long BALANCE_WORK = 1L << 27;

    private Matmul() {}

    static void run(Operand dst, Operand a, Operand b, CpuThreads threads, GemmPath gemm) {
        int batches = Math.toIntExact(dst.shape()[0]);
        int m = Math.toIntExact(dst.shape()[1]);
        int n = Math.toIntExact(dst.shape()[2]);
        int k = Math.toIntExact(a.shape()[2]);
        if (batches == 0 || m == 0 || n == 0) {
            return;
        }
        Tiles kernel = kernel(dst, a, b, k, gemm);
        long work = (long) batches * m * n * Math.max(k, 1);
        if (work < PARALLEL_WORK || threads.size() == 1) {
            for (int i = 0; i < batches; i++) {
                kernel.tile(i, 0, m, 0, n);
            }
            return;
        }
        List<int[]> tiles;
        if (gemm.vector() && dst.dtype() == DType.FLOAT32) {
            int parts = threads.size() * (work >= BALANCE_WORK ? 2 : 1);
            tiles = grid(batches, m, n, parts, VectorFloatGemm.MR, VectorFloatGemm.nr());
        } else {
            tiles = split(batches, m, n, 2 * threads.size());
        }
        threads.parallelFor(tiles.size(), t -> {
            int[] x = tiles.get(t);
            kernel.tile(x[0], x[1], x[2], x[3], x[4]);
        });
    }

    private static Tiles kernel(Operand dst, Operand a, Operand b, int k, GemmPath gemm) {
        Object c = ((HostBuffer) dst.buffer()).array();
        switch (dst.dtype()) {
            case FLOAT32:
                return gemm.floatKernel(
                        (float[]) c,
                        layout(dst),
                        ((HostBuffer) a.buffer()).floats(),
                        layout(a),
                        ((HostBuffer) b.buffer()).floats(),
                        layout(b),
                        k);
            case FLOAT64:
                return new DoubleGemm(
                        (double[]) c,
                        layout(dst),
                        ((HostBuffer) a.buffer()).doubles(),
                        layout(a),
                        ((HostBuffer) b.buffer()).doubles(),
                        layout(b),
                        k);
            default:
                return new IntegerMatmul(
                        c,
                        layout(dst),
                        ((HostBuffer) a.buffer()).array(),
                        layout(a),
                        ((HostBuffer) b.buffer()).array(),
                        layout(b),
                        k);
        }
    }

    /** {offset, batch stride, row stride, column stride} of a rank-3 operand. */
    private static int[] layout(Operand o) {
        long[] s = o.strides();
        return new int[] {
            Math.toIntExact(o.offset()), Math.toIntExact(s[0]), Math.toIntExact(s[1]), Math.toIntExact(s[2])
        };
    }

    /**
     * About {@code parts} tiles: whole batch items when there are enough, else each item cut into row ranges
     * (long rows keep the inner loop long), or column ranges when there are too few rows.
     */
    static List<int[]> split(int batches, int m, int n, int parts) {
        List<int[]> tiles = new ArrayList<>();
        int perBatch = (parts + batches - 1) / batches;
        boolean byRows = m >= perBatch * MIN_TILE_ROWS || m >= n;
        int cuts = Math.max(1, Math.min(perBatch, byRows ? m : n));
        for (int bi = 0; bi < batches; bi++) {
            for (int c = 0; c < cuts; c++) {
                int len = byRows ? m : n;
                int from = (int) ((long) len * c / cuts);
                int to = (int) ((long) len * (c + 1) / cuts);
                tiles.add(byRows ? new int[] {bi, from, to, 0, n} : new int[] {bi, 0, m, from, to});
            }
        }
        return tiles;
    }

    /**
     * About {@code parts} tiles for a packing kernel: whole batch items when there are enough, else each item cut
     * into a grid of {@code r x c} tiles. Each tile packs the A rows and B columns it uses, so a grid re-packs A
     * {@code c} times and B {@code r} times: the grid chosen packs least ({@code r*n + c*m} smallest), among those
     * whose tiles keep at least a micro-kernel's {@code mr} rows and {@code nr} columns. Cuts fall on multiples of
     * {@code mr} and {@code nr}, so only the matrix's own edge has partial micro-tiles. With 64 rows (a batch of a
     * linear layer) this cuts columns, so both threads work.
     */
    static List<int[]> grid(int batches, int m, int n, int parts, int mr, int nr) {
        List<int[]> tiles = new ArrayList<>();
        if (batches >= parts) {
            for (int bi = 0; bi < batches; bi++) {
                tiles.add(new int[] {bi, 0, m, 0, n});
            }
            return tiles;
        }
        int perBatch = (parts + batches - 1) / batches;
        int rowUnits = (m + mr - 1) / mr;
        int colUnits = (n + nr - 1) / nr;
        int bestR = 1;
        int bestC = 1;
        long bestCost = Long.MAX_VALUE;
        for (int r = 1; r <= perBatch; r++) {
            int cCuts = perBatch / r;
            if (r * cCuts != perBatch || r > rowUnits || cCuts > colUnits) {
                continue;
            }
            long cost = (long) r * n + (long) cCuts * m;
            if (cost < bestCost) {
                bestCost = cost;
                bestR = r;
                bestC = cCuts;
            }
        }
        if (bestCost == Long.MAX_VALUE) {
            // too small for perBatch cuts: as many as the micro-tiles allow, along the longer side
            if (rowUnits >= colUnits) {
                bestR = Math.min(perBatch, rowUnits);
            } else {
                bestC = Math.min(perBatch, colUnits);
            }
        }
        for (int bi = 0; bi < batches; bi++) {
            for (int ri = 0; ri < bestR; ri++) {
                int r0 = Math.min(m, (int) ((long) rowUnits * ri / bestR) * mr);
                int r1 = Math.min(m, (int) ((long) rowUnits * (ri + 1) / bestR) * mr);
                for (int ci = 0; ci < bestC; ci++) {
                    int c0 = Math.min(n, (int) ((long) colUnits * ci / bestC) * nr);
                    int c1 = Math.min(n, (int) ((long) colUnits * (ci + 1) / bestC) * nr);
                    tiles.add(new int[] {bi, r0, r1, c0, c1});
                }
            }
        }
        return tiles;
    }
}
