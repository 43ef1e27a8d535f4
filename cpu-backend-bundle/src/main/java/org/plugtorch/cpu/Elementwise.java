package org.plugtorch.cpu;

/**
 * Runs an element-wise kernel over strided operands, choosing per inner run of the {@link StridedPlan}:
 * <ul>
 * <li>every operand unit-stride at one offset (contiguous tensors, in-place ops on them): the kernel runs on the
 *     tensors' own arrays, a tight loop HotSpot vectorises;</li>
 * <li>a binary op whose second operand is a broadcast scalar, the output and first operand sharing an offset: the
 *     scalar kernel, on the arrays themselves;</li>
 * <li>anything else (transposes, steps, offsets, broadcasts along some dimensions): chunks are staged through
 *     dense scratch arrays, computed by the same kernel, and written back.</li>
 * </ul>
 */
final class Elementwise {
    /** Elements staged at a time: a few KiB per operand, well inside L1. */
    static final int CHUNK = 1024;

    /**
     * Elements per thread at least: a hand-off costs some 10-20 µs, the time one thread takes to add about 2^16
     * floats; below twice that, one thread does everything.
     */
    static final long PARALLEL_ELEMENTS = 1 << 16;

    private Elementwise() {}

    /**
     * Runs the kernel over every element, split into contiguous ranges of the plan's order over the backend's
     * threads when there are enough elements to repay the hand-off.
     *
     * @param arrays the operands' arrays, output first, in the plan's operand order
     * @param scalar the kernel for a broadcast-scalar second input, or null when there is none
     */
    static void run(StridedPlan plan, Object[] arrays, RangeKernel kernel, ScalarKernel scalar, CpuThreads threads) {
        run(plan, arrays, kernel, scalar, null, threads);
    }

    /** @param shifted the kernel for a second input that is unit-stride at another offset (a row), or null */
    static void run(
            StridedPlan plan,
            Object[] arrays,
            RangeKernel kernel,
            ScalarKernel scalar,
            ShiftedKernel shifted,
            CpuThreads threads) {
        long n = plan.numel();
        if (transposing(plan)) {
            tiled(plan, arrays, kernel, threads);
            return;
        }
        int pieces = (int) Math.min(2L * threads.size(), n / PARALLEL_ELEMENTS);
        if (pieces < 2) {
            run(plan, 0, n, arrays, kernel, scalar, shifted);
            return;
        }
        threads.parallelFor(
                pieces, p -> run(plan, n * p / pieces, n * (p + 1) / pieces, arrays, kernel, scalar, shifted));
    }

    private static void run(
            StridedPlan plan,
            long first,
            long end,
            Object[] arrays,
            RangeKernel kernel,
            ScalarKernel scalar,
            ShiftedKernel shifted) {
        int operands = arrays.length;
        int[] stride = new int[operands];
        for (int k = 0; k < operands; k++) {
            stride[k] = plan.innerStride(k);
        }
        boolean scalarB = scalar != null && operands == 3 && stride[2] == 0;
        int scratchLength = Math.min(CHUNK, plan.innerLength());
        Object[] scratch = new Object[operands];
        plan.forEachRun(first, end, (offset, length) -> {
            if (sharedUnitIndex(offset, stride)) {
                kernel.run(arrays, offset[0], offset[0] + length);
            } else if (scalarB && stride[0] == 1 && stride[1] == 1 && offset[1] == offset[0]) {
                scalar.run(arrays[0], arrays[1], arrays[2], offset[2], offset[0], offset[0] + length);
            } else if (shifted != null
                    && operands == 3
                    && stride[0] == 1
                    && stride[1] == 1
                    && stride[2] == 1
                    && offset[1] == offset[0]) {
                shifted.run(arrays[0], arrays[1], arrays[2], offset[2] - offset[0], offset[0], offset[0] + length);
            } else {
                if (scratch[0] == null) {
                    for (int k = 0; k < operands; k++) {
                        scratch[k] = Staging.scratchLike(arrays[k], scratchLength);
                    }
                }
                staged(arrays, offset, stride, length, kernel, scalarB ? scalar : null, scratch);
            }
        });
    }

    /**
     * A transposing plan is walked in tiles of {@code TILE_ROWS} output rows by {@code TILE_COLUMNS} output columns,
     * staged column by column, so that each input column's piece is read as whole cache lines along the input's
     * short stride, and each output row's piece is written whole. Reading the input across its long stride instead
     * meets the worst case of a set-associative cache: with a power-of-two stride (a 4096-wide matrix) every
     * element falls in the same few sets, and lines are evicted before their neighbours are used.
     */
    static final int TILE_ROWS = 128;

    static final int TILE_COLUMNS = 32;

    /**
     * True for two dimensions where the output runs along the inner one and every input either runs along the outer
     * one (a transpose: a copy of {@code t.t()}) or does not move along the inner one (a broadcast column): walking
     * the output's rows would take each input element from another cache line and page, ten times slower than
     * memory. Inputs that are contiguous along the output's rows (a transpose added to a plain tensor) would meet
     * the same problem in the tiles, and take the row walk.
     */
    static boolean transposing(StridedPlan plan) {
        if (plan.rank() != 2 || plan.size(0) < TILE_ROWS || plan.size(1) < TILE_COLUMNS || plan.stride(0, 1) != 1) {
            return false;
        }
        boolean transposed = false;
        for (int k = 1; k < plan.operandCount(); k++) {
            int inner = Math.abs(plan.stride(k, 1));
            int outer = Math.abs(plan.stride(k, 0));
            if (inner > TILE_COLUMNS && outer < inner) {
                transposed = true;
            } else if (inner != 0) {
                return false;
            }
        }
        return transposed;
    }

    /** Runs a transposing plan tile by tile, bands of tile rows split over the threads. */
    private static void tiled(StridedPlan plan, Object[] arrays, RangeKernel kernel, CpuThreads threads) {
        int rows = plan.size(0);
        int bands = (rows + TILE_ROWS - 1) / TILE_ROWS;
        int pieces = (int) Math.min(Math.min(2L * threads.size(), plan.numel() / PARALLEL_ELEMENTS), bands);
        if (pieces < 2) {
            tileRows(plan, arrays, kernel, 0, rows);
            return;
        }
        threads.parallelFor(
                pieces,
                p -> tileRows(
                        plan,
                        arrays,
                        kernel,
                        bands * p / pieces * TILE_ROWS,
                        Math.min(rows, bands * (p + 1) / pieces * TILE_ROWS)));
    }

    /** Output rows {@code [rowFrom, rowTo)}; scratch tiles hold element (r, c) at {@code c * TILE_ROWS + r}. */
    private static void tileRows(StridedPlan plan, Object[] arrays, RangeKernel kernel, int rowFrom, int rowTo) {
        int operands = arrays.length;
        int columns = plan.size(1);
        Object[] scratch = new Object[operands];
        for (int k = 0; k < operands; k++) {
            scratch[k] = Staging.scratchLike(arrays[k], TILE_ROWS * TILE_COLUMNS);
        }
        Object row = Staging.scratchLike(arrays[0], TILE_COLUMNS);
        for (int r0 = rowFrom; r0 < rowTo; r0 += TILE_ROWS) {
            int h = Math.min(TILE_ROWS, rowTo - r0);
            for (int c0 = 0; c0 < columns; c0 += TILE_COLUMNS) {
                int w = Math.min(TILE_COLUMNS, columns - c0);
                for (int k = 1; k < operands; k++) {
                    int down = plan.stride(k, 0);
                    int across = plan.stride(k, 1);
                    int corner = plan.offset(k) + r0 * down + c0 * across;
                    for (int c = 0; c < w; c++) {
                        Staging.gather(arrays[k], corner + c * across, down, scratch[k], c * TILE_ROWS, h);
                    }
                }
                // every operand has the same layout in its tile, and the kernel is element-wise; a short band
                // leaves stale elements between the columns, which must not reach a kernel (an integer division)
                if (h == TILE_ROWS) {
                    kernel.run(scratch, 0, w * TILE_ROWS);
                } else {
                    for (int c = 0; c < w; c++) {
                        kernel.run(scratch, c * TILE_ROWS, c * TILE_ROWS + h);
                    }
                }
                int out = plan.offset(0) + r0 * plan.stride(0, 0) + c0;
                for (int r = 0; r < h; r++) {
                    Staging.gather(scratch[0], r, TILE_ROWS, row, 0, w);
                    Staging.scatter(row, w, arrays[0], out + r * plan.stride(0, 0), 1);
                }
            }
        }
    }

    private static boolean sharedUnitIndex(int[] offset, int[] stride) {
        for (int k = 0; k < offset.length; k++) {
            if (stride[k] != 1 || offset[k] != offset[0]) {
                return false;
            }
        }
        return true;
    }

    private static void staged(
            Object[] arrays,
            int[] offset,
            int[] stride,
            int length,
            RangeKernel kernel,
            ScalarKernel scalarB,
            Object[] scratch) {
        int inputs = scalarB != null ? 2 : arrays.length;
        for (int start = 0; start < length; start += CHUNK) {
            int m = Math.min(CHUNK, length - start);
            for (int k = 1; k < inputs; k++) {
                Staging.gather(arrays[k], offset[k] + start * stride[k], stride[k], scratch[k], m);
            }
            if (scalarB != null) {
                scalarB.run(scratch[0], scratch[1], arrays[2], offset[2], 0, m);
            } else {
                kernel.run(scratch, 0, m);
            }
            Staging.scatter(scratch[0], m, arrays[0], offset[0] + start * stride[0], stride[0]);
        }
    }
}
