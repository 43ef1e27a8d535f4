package org.plugtorch.cpu;

import org.plugtorch.spi.Operand;

/**
 * The element-wise shapes that small tensors meet on almost every call, run straight on the operands' arrays
 * without a {@link StridedPlan}: planning (sorting and merging dimensions, a visitor per run) costs more than the
 * arithmetic below a few hundred elements, and a training step is full of such calls (a bias, a loss over a batch).
 * A contiguous output, and inputs that are each either contiguous at the output's offset, or, as the second input
 * of a binary op, a broadcast scalar, a broadcast row ({@code [n]} over {@code [m, n]}) or a broadcast column
 * ({@code [m, 1]} over {@code [m, n]}). The same kernels run over the same elements as through the plan, one
 * thread, so results are identical; anything else, and anything large enough to be split over threads, is left to
 * {@link Elementwise}.
 */
final class DirectElementwise {
    private DirectElementwise() {}

    /** Runs the call and returns true, or returns false having done nothing. */
    static boolean tryRun(
            Operand[] operands, Object[] arrays, RangeKernel kernel, ScalarKernel scalar, ShiftedKernel shifted) {
        Operand out = operands[0];
        if (!out.isContiguous()) {
            return false;
        }
        long numel = out.numel();
        if (numel >= 2 * Elementwise.PARALLEL_ELEMENTS) {
            return false;
        }
        int from = (int) out.offset();
        int to = from + (int) numel;
        int n = operands.length;
        int aligned = 1;
        while (aligned < n && operands[aligned].offset() == from && operands[aligned].isContiguous()) {
            aligned++;
        }
        if (aligned == n) {
            kernel.run(arrays, from, to);
            return true;
        }
        if (n != 3 || aligned != 2) {
            return false;
        }
        Operand b = operands[2];
        long[] shape = out.shape();
        long[] strides = b.strides();
        // b's dimensions split at `split`: strides 0 before it and row-major after it (a row), or row-major before
        // it and 0 after it (a column); dimensions of size 1 fit either
        int rank = shape.length;
        int split = rank;
        long expected = 1;
        while (split > 0 && (shape[split - 1] == 1 || strides[split - 1] == expected)) {
            expected *= shape[split - 1];
            split--;
        }
        boolean row = true;
        for (int d = 0; d < split && row; d++) {
            row = shape[d] == 1 || strides[d] == 0;
        }
        int bOffset = (int) b.offset();
        if (row) {
            int length = (int) expected;
            if (length == 1) {
                if (scalar == null) {
                    return false;
                }
                scalar.run(arrays[0], arrays[1], arrays[2], bOffset, from, to);
                return true;
            }
            if (shifted == null) {
                return false;
            }
            for (int start = from; start < to; start += length) {
                shifted.run(arrays[0], arrays[1], arrays[2], bOffset - start, start, start + length);
            }
            return true;
        }
        if (scalar == null) {
            return false;
        }
        // a column: trailing strides 0, leading ones row-major over the leading dimensions
        split = rank;
        long length = 1;
        while (split > 0 && (shape[split - 1] == 1 || strides[split - 1] == 0)) {
            length *= shape[split - 1];
            split--;
        }
        expected = 1;
        for (int d = split - 1; d >= 0; d--) {
            if (shape[d] != 1 && strides[d] != expected) {
                return false;
            }
            expected *= shape[d];
        }
        int len = (int) length;
        for (int start = from, i = bOffset; start < to; start += len, i++) {
            scalar.run(arrays[0], arrays[1], arrays[2], i, start, start + len);
        }
        return true;
    }

    /**
     * A float32 {@code where} (output, condition, then the two branches) with one branch a broadcast scalar and
     * everything else contiguous at the output's offset (a gradient masked to zero, as relu's backward does): one
     * pass, where the plan would stage the scalar through scratch arrays.
     */
    static boolean whereScalar(Operand[] operands, Object[] arrays) {
        Operand out = operands[0];
        long numel = out.numel();
        if (!out.isContiguous() || numel >= 2 * Elementwise.PARALLEL_ELEMENTS) {
            return false;
        }
        int from = (int) out.offset();
        if (!aligned(operands[1], from)) {
            return false;
        }
        boolean scalarIfTrue;
        if (aligned(operands[3], from) && isScalar(operands[2])) {
            scalarIfTrue = true;
        } else if (aligned(operands[2], from) && isScalar(operands[3])) {
            scalarIfTrue = false;
        } else {
            return false;
        }
        Operand s = scalarIfTrue ? operands[2] : operands[3];
        float value = ((float[]) arrays[scalarIfTrue ? 2 : 3])[(int) s.offset()];
        whereScalarKernel(
                (float[]) arrays[0],
                (byte[]) arrays[1],
                (float[]) arrays[scalarIfTrue ? 3 : 2],
                value,
                scalarIfTrue,
                from,
                from + (int) numel);
        return true;
    }

    /** {@code d[i] = c[i] != 0 ? s : x[i]} when {@code scalarIfTrue}, else {@code c[i] != 0 ? x[i] : s}. */
    static void whereScalarKernel(float[] d, byte[] c, float[] x, float s, boolean scalarIfTrue, int from, int to) {
        if (scalarIfTrue) {
            for (int i = from; i < to; i++) {
                d[i] = c[i] != 0 ? s : x[i];
            }
        } else {
            for (int i = from; i < to; i++) {
                d[i] = c[i] != 0 ? x[i] : s;
            }
        }
    }

    private static boolean aligned(Operand o, int offset) {
        return o.offset() == offset && o.isContiguous();
    }

    private static boolean isScalar(Operand o) {
        long[] shape = o.shape();
        long[] strides = o.strides();
        for (int d = 0; d < shape.length; d++) {
            if (shape[d] != 1 && strides[d] != 0) {
                return false;
            }
        }
        return true;
    }
}
