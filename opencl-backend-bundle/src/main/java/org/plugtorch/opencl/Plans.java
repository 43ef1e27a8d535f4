package org.plugtorch.opencl;

import static org.plugtorch.opencl.ProgramCodes.COUNT;
import static org.plugtorch.opencl.ProgramCodes.INNER_RANK;
import static org.plugtorch.opencl.ProgramCodes.KIND;
import static org.plugtorch.opencl.ProgramCodes.MM_A;
import static org.plugtorch.opencl.ProgramCodes.MM_B;
import static org.plugtorch.opencl.ProgramCodes.MM_BOP;
import static org.plugtorch.opencl.ProgramCodes.MM_DST;
import static org.plugtorch.opencl.ProgramCodes.MM_K;
import static org.plugtorch.opencl.ProgramCodes.MM_M;
import static org.plugtorch.opencl.ProgramCodes.MM_N;
import static org.plugtorch.opencl.ProgramCodes.MM_PLAN_LENGTH;
import static org.plugtorch.opencl.ProgramCodes.OP;
import static org.plugtorch.opencl.ProgramCodes.OPERANDS;
import static org.plugtorch.opencl.ProgramCodes.RANK;
import static org.plugtorch.opencl.ProgramCodes.REDUCE_SHAPE;
import static org.plugtorch.opencl.ProgramCodes.SHAPE;
import static org.plugtorch.opencl.ProgramCodes.STAGE_DTYPE;
import static org.plugtorch.opencl.ProgramCodes.STAGE_OFFSET;
import static org.plugtorch.opencl.ProgramCodes.STRIP;
import static org.plugtorch.opencl.ProgramCodes.WORK;
import static org.plugtorch.spi.Preconditions.checkArgument;

import java.util.Arrays;
import org.plugtorch.spi.IterationSpace;
import org.plugtorch.spi.Operand;

/**
 * Writes the plans {@link DeviceProgram} reads: what to launch, over how many work-items, and where each operand's
 * elements are in its arena (the buffer's place in the arena plus the operand's own offset, then strides). Layouts
 * are in {@link ProgramCodes}. Everything is an int: an arena is one Java array, so every index fits.
 */
final class Plans {
    /** No operand in this slot (its dtype code). */
    static final int NONE = -1;

    private Plans() {}

    /** A transfer between an arena and the stage buffer of its dtype. */
    static int[] stage(int kind, int dtype, int arenaOffset, int count) {
        int[] plan = new int[STAGE_OFFSET + 1];
        plan[KIND] = kind;
        plan[WORK] = count;
        plan[STAGE_DTYPE] = dtype;
        plan[STAGE_OFFSET] = arenaOffset;
        return plan;
    }

    /** Zeroes {@code count} elements of an arena from {@code arenaOffset}: a FILL over one unit-stride dimension. */
    static int[] zero(int dtype, int arenaOffset, long count) {
        int rank = 1;
        int[] plan = new int[SHAPE + rank + OPERANDS * (2 + rank)];
        plan[KIND] = ProgramCodes.FILL;
        plan[WORK] = toInt(count, "elements");
        plan[RANK] = rank;
        plan[SHAPE] = plan[WORK];
        int base = SHAPE + rank;
        plan[base] = dtype;
        plan[base + 1] = arenaOffset;
        plan[base + 2] = 1;
        for (int j = 1; j < OPERANDS; j++) {
            plan[base + j * (2 + rank)] = NONE;
        }
        return plan;
    }

    /**
     * An element-wise launch over {@code operands} (destination first, at most {@link ProgramCodes#OPERANDS}), all of
     * one shape; one work-item per destination element.
     */
    static int[] elementwise(int kind, int op, Operand[] operands, ClBuffer[] buffers) {
        IterationSpace layout = layout(operands);
        int rank = layout.rank();
        int[] plan = new int[SHAPE + rank + OPERANDS * (2 + rank)];
        plan[KIND] = kind;
        plan[OP] = op;
        plan[WORK] = toInt(layout.numel(), "elements");
        plan[RANK] = rank;
        for (int d = 0; d < rank; d++) {
            plan[SHAPE + d] = toInt(layout.size(d), "a dimension");
        }
        for (int j = 0; j < OPERANDS; j++) {
            int base = SHAPE + rank + j * (2 + rank);
            if (j >= operands.length) {
                plan[base] = NONE;
                continue;
            }
            plan[base] = ProgramCodes.dtype(operands[j].dtype());
            plan[base + 1] = toInt(buffers[j].arenaOffset + operands[j].offset(), "an offset");
            for (int d = 0; d < rank; d++) {
                plan[base + 2 + d] = toInt(layout.stride(j, d), "a stride");
            }
        }
        return plan;
    }

    /**
     * The float32 unit-stride fast path: {@code fastOp} is one of {@link ProgramCodes#FAST_COPY} and its siblings;
     * {@code b} is null for a copy or a unary op.
     */
    static int[] contiguousF32(
            int fastOp, Operand dst, ClBuffer dstBuffer, Operand a, ClBuffer aBuffer, Operand b, ClBuffer bBuffer) {
        int[] plan = new int[ProgramCodes.FAST_B + 1];
        plan[KIND] = ProgramCodes.CONTIGUOUS_F32;
        plan[OP] = fastOp;
        plan[WORK] = toInt(dst.numel(), "elements");
        plan[ProgramCodes.FAST_DST] = toInt(dstBuffer.arenaOffset + dst.offset(), "an offset");
        plan[ProgramCodes.FAST_A] = toInt(aBuffer.arenaOffset + a.offset(), "an offset");
        plan[ProgramCodes.FAST_B] = b == null ? 0 : toInt(bBuffer.arenaOffset + b.offset(), "an offset");
        return plan;
    }

    /** True when an element-wise launch over these operands can take the unit-stride fast path. */
    static boolean unitStride(Operand... operands) {
        return layout(operands).isUnitStride();
    }

    /**
     * The element-wise iteration space, dimensions in their order: a work-item turns its linear index into element
     * offsets with one division per dimension left, so a contiguous tensor of any rank costs one.
     */
    private static IterationSpace layout(Operand[] operands) {
        long[][] strides = new long[operands.length][];
        for (int j = 0; j < operands.length; j++) {
            strides[j] = operands[j].strides();
        }
        return IterationSpace.inOrder(operands[0].shape(), strides);
    }

    /** A reduction of {@code src}'s trailing dimensions into {@code dst}; one work-item per destination element. */
    static int[] reduce(int op, Operand dst, ClBuffer dstBuffer, Operand src, ClBuffer srcBuffer) {
        int keptRank = dst.rank();
        long[] srcStrides = src.strides();
        IterationSpace kept = IterationSpace.inOrder(dst.shape(), dst.strides(), Arrays.copyOf(srcStrides, keptRank));
        IterationSpace inner = IterationSpace.inOrder(
                Arrays.copyOfRange(src.shape(), keptRank, src.rank()),
                Arrays.copyOfRange(srcStrides, keptRank, src.rank()));
        int k = kept.rank();
        int r = inner.rank();
        int dstBase = REDUCE_SHAPE + k + r;
        int srcBase = dstBase + 2 + k;
        int[] plan = new int[srcBase + 2 + k + r];
        plan[KIND] = ProgramCodes.REDUCE;
        plan[OP] = op;
        plan[WORK] = toInt(kept.numel(), "outputs");
        plan[RANK] = k;
        plan[INNER_RANK] = r;
        plan[COUNT] = toInt(inner.numel(), "reduced elements");
        for (int d = 0; d < k; d++) {
            plan[REDUCE_SHAPE + d] = toInt(kept.size(d), "a dimension");
            plan[dstBase + 2 + d] = toInt(kept.stride(0, d), "a stride");
            plan[srcBase + 2 + d] = toInt(kept.stride(1, d), "a stride");
        }
        for (int d = 0; d < r; d++) {
            plan[REDUCE_SHAPE + k + d] = toInt(inner.size(d), "a dimension");
            plan[srcBase + 2 + k + d] = toInt(inner.stride(0, d), "a stride");
        }
        plan[dstBase] = ProgramCodes.dtype(dst.dtype());
        plan[dstBase + 1] = toInt(dstBuffer.arenaOffset + dst.offset(), "an offset");
        plan[srcBase] = ProgramCodes.dtype(src.dtype());
        plan[srcBase + 1] = toInt(srcBuffer.arenaOffset + src.offset(), "an offset");
        return plan;
    }

    /** A batched matrix product; float32 takes the strip kernel (eight columns per work-item). */
    static int[] matmul(Operand dst, ClBuffer dstBuffer, Operand a, ClBuffer aBuffer, Operand b, ClBuffer bBuffer) {
        long[] shape = dst.shape();
        long k = a.shape()[2];
        boolean strip = dst.dtype() == org.plugtorch.DType.FLOAT32;
        int[] plan = new int[MM_PLAN_LENGTH];
        plan[KIND] = strip ? ProgramCodes.MATMUL_STRIP : ProgramCodes.MATMUL;
        long columns = strip ? (shape[2] + STRIP - 1) / STRIP : shape[2];
        plan[WORK] = toInt(shape[0] * shape[1] * columns, "work-items");
        plan[MM_B] = toInt(shape[0], "the batch");
        plan[MM_M] = toInt(shape[1], "M");
        plan[MM_K] = toInt(k, "K");
        plan[MM_N] = toInt(shape[2], "N");
        matrix(plan, MM_DST, dst, dstBuffer);
        matrix(plan, MM_A, a, aBuffer);
        matrix(plan, MM_BOP, b, bBuffer);
        return plan;
    }

    private static void matrix(int[] plan, int at, Operand o, ClBuffer buffer) {
        plan[at] = ProgramCodes.dtype(o.dtype());
        plan[at + 1] = toInt(buffer.arenaOffset + o.offset(), "an offset");
        for (int d = 0; d < 3; d++) {
            // a dimension of size 0 or 1 is never stepped through, whatever its stride says
            plan[at + 2 + d] = o.shape()[d] <= 1 ? 0 : toInt(o.strides()[d], "a stride");
        }
    }

    static int toInt(long v, String what) {
        checkArgument(
                v >= Integer.MIN_VALUE && v <= Integer.MAX_VALUE,
                () -> "the opencl backend indexes with 32-bit ints: " + what + " of " + v + " does not fit");
        return (int) v;
    }
}
