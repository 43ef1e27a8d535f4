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

    private Elementwise() {
    }

    /**
     * Runs the kernel over every element, split into contiguous ranges of the plan's order over the backend's
     * threads when there are enough elements to repay the hand-off.
     *
     * @param arrays the operands' arrays, output first, in the plan's operand order
     * @param scalar the kernel for a broadcast-scalar second input, or null when there is none
     */
    static void run(StridedPlan plan, Object[] arrays, RangeKernel kernel, ScalarKernel scalar, CpuThreads threads) {
        long n = plan.numel();
        if (transposing(plan)) {
            tiled(plan, arrays, kernel, threads);
            return;
        }
        int pieces = (int) Math.min(2L * threads.size(), n / PARALLEL_ELEMENTS);
        if (pieces < 2) {
            run(plan, 0, n, arrays, kernel, scalar);
            return;
        }
        threads.parallelFor(pieces, p -> run(plan, n * p / pieces, n * (p + 1) / pieces, arrays, kernel, scalar));
    }

    private static void run(StridedPlan plan, long first, long end, Object[] arrays, RangeKernel kernel,
            ScalarKernel scalar) {
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
     * Side of the square tiles a transposing plan is walked in: a tile's rows of a transposed input share their cache
     * lines (64 x 64 floats is 16 KiB of lines, inside L1) and its 64 pages fit the first-level TLB.
     */
    static final int TILE = 64;

    /**
     * True for two dimensions where the output runs along the inner one and an input runs along the outer one (a
     * transpose, a copy of {@code t.t()}): walking the output's rows would take each input element from another
     * cache line and page, some ten times slower than memory.
     */
    static boolean transposing(StridedPlan plan) {
        if (plan.rank() != 2 || plan.size(0) < TILE || plan.size(1) < TILE || plan.stride(0, 1) != 1) {
            return false;
        }
        for (int k = 1; k < plan.operandCount(); k++) {
            int inner = Math.abs(plan.stride(k, 1));
            if (inner > TILE && Math.abs(plan.stride(k, 0)) < inner) {
                return true;
            }
        }
        return false;
    }

    /** Runs a transposing plan tile by tile, bands of tile rows split over the threads. */
    private static void tiled(StridedPlan plan, Object[] arrays, RangeKernel kernel, CpuThreads threads) {
        int rows = plan.size(0);
        int bands = (rows + TILE - 1) / TILE;
        int pieces = (int) Math.min(Math.min(2L * threads.size(), plan.numel() / PARALLEL_ELEMENTS), bands);
        if (pieces < 2) {
            tileRows(plan, arrays, kernel, 0, rows);
            return;
        }
        threads.parallelFor(pieces, p -> tileRows(plan, arrays, kernel, bands * p / pieces * TILE,
                Math.min(rows, bands * (p + 1) / pieces * TILE)));
    }

    private static void tileRows(StridedPlan plan, Object[] arrays, RangeKernel kernel, int rowFrom, int rowTo) {
        int operands = arrays.length;
        int columns = plan.size(1);
        Object[] scratch = new Object[operands];
        for (int k = 0; k < operands; k++) {
            scratch[k] = Staging.scratchLike(arrays[k], TILE);
        }
        for (int r0 = rowFrom; r0 < rowTo; r0 += TILE) {
            int r1 = Math.min(rowTo, r0 + TILE);
            for (int c0 = 0; c0 < columns; c0 += TILE) {
                int m = Math.min(TILE, columns - c0);
                for (int r = r0; r < r1; r++) {
                    for (int k = 1; k < operands; k++) {
                        Staging.gather(arrays[k], plan.offset(k) + r * plan.stride(k, 0) + c0 * plan.stride(k, 1),
                                plan.stride(k, 1), scratch[k], m);
                    }
                    kernel.run(scratch, 0, m);
                    Staging.scatter(scratch[0], m, arrays[0], plan.offset(0) + r * plan.stride(0, 0) + c0, 1);
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

    private static void staged(Object[] arrays, int[] offset, int[] stride, int length, RangeKernel kernel,
            ScalarKernel scalarB, Object[] scratch) {
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
