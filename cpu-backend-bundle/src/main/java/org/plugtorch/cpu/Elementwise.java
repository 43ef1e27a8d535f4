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
