package org.plugtorch.cpu;

import static org.plugtorch.spi.Preconditions.checkArgument;

import java.util.Arrays;
import org.plugtorch.DType;
import org.plugtorch.spi.HostBuffer;
import org.plugtorch.spi.Operand;
import org.plugtorch.spi.ReduceOp;

/**
 * One call of {@code reduce}: for each destination element (visited in any order), walks the source's trailing
 * dimensions in row-major order (their order decides ARGMAX ties) and feeds them to an accumulator. The reduced
 * dimensions are merged where memory allows, so a contiguous reduction is one run. Values reach the accumulator
 * as double (floating point) or long (integers and bool): runs that are not already a unit-stride array of that
 * type are converted chunk by chunk into a scratch array.
 */
final class ReductionKernels {
    private final ReduceOp op;
    private final Object src;
    private final Object dst;
    private final DType dstType;
    private final StridedPlan region;
    private final FloatingAccumulator floating;
    private final IntegerAccumulator integer;
    private final double[] doubleScratch;
    private final long[] longScratch;

    private ReductionKernels(ReduceOp op, Operand dst, Operand src, StridedPlan region) {
        this.op = op;
        this.src = ((HostBuffer) src.buffer()).array();
        this.dst = ((HostBuffer) dst.buffer()).array();
        this.dstType = dst.dtype();
        this.region = region;
        int scratch = Math.min(Elementwise.CHUNK, region.innerLength());
        if (src.dtype().isFloatingPoint()) {
            floating = new FloatingAccumulator(op);
            integer = null;
            doubleScratch = new double[scratch];
            longScratch = null;
        } else {
            floating = null;
            integer = new IntegerAccumulator(op);
            doubleScratch = null;
            longScratch = new long[scratch];
        }
    }

    /** Elements per block of a split full sum: a fixed size, so that the result does not depend on the threads. */
    static final int SUM_BLOCK = 1 << 16;

    /**
     * Large reductions use {@code threads} (null: the caller alone): many outputs are split into ranges of outputs;
     * a floating-point SUM into one output is cut into fixed blocks whose partial sums are added in order, the same
     * order whatever the thread count. The other single-output reductions (PROD, MAX, ARGMAX...) stay sequential:
     * their order decides rounding and ties.
     */
    static void run(ReduceOp op, Operand dst, Operand src, CpuThreads threads) {
        int kept = dst.rank();
        long[] shape = Arrays.copyOfRange(src.shape(), kept, src.rank());
        long[] strides = Arrays.copyOfRange(src.strides(), kept, src.rank());
        StridedPlan region = StridedPlan.of(shape, new long[][] {strides}, new long[] {0}, false);
        checkArgument(
                region.numel() != 0 || op == ReduceOp.SUM || op == ReduceOp.PROD,
                () -> op + " over zero elements has no result (source " + src + ")");
        StridedPlan outputs = StridedPlan.of(
                dst.shape(),
                new long[][] {dst.strides(), Arrays.copyOf(src.strides(), kept)},
                new long[] {dst.offset(), src.offset()},
                true);
        long outs = outputs.numel();
        long work = outs * region.numel();
        int pieces = threads == null ? 1 : (int) Math.min(2L * threads.size(), work / Elementwise.PARALLEL_ELEMENTS);
        if (pieces >= 2 && outs == 1 && op == ReduceOp.SUM && src.dtype().isFloatingPoint()) {
            splitSum(dst, src, region, threads);
            return;
        }
        pieces = (int) Math.min(pieces, outs);
        if (pieces < 2) {
            reduceOutputs(new ReductionKernels(op, dst, src, region), outputs, 0, outs);
            return;
        }
        int n = pieces;
        threads.parallelFor(
                n,
                p -> reduceOutputs(
                        new ReductionKernels(op, dst, src, region), outputs, outs * p / n, outs * (p + 1) / n));
    }

    /** Reduces into outputs {@code [first, end)} of the outputs plan's order. */
    private static void reduceOutputs(ReductionKernels r, StridedPlan outputs, long first, long end) {
        int dstStride = outputs.innerStride(0);
        int srcStride = outputs.innerStride(1);
        outputs.forEachRun(first, end, (offset, length) -> {
            for (int i = 0; i < length; i++) {
                r.reduceAt(offset[1] + i * srcStride);
                r.writeAt(offset[0] + i * dstStride);
            }
        });
    }

    private static void splitSum(Operand dst, Operand src, StridedPlan region, CpuThreads threads) {
        long n = region.numel();
        int blocks = (int) ((n + SUM_BLOCK - 1) / SUM_BLOCK);
        double[] partial = new double[blocks];
        // one output: its region starts at the source's own offset
        int base = Math.toIntExact(src.offset());
        int pieces = Math.min(blocks, 2 * threads.size());
        threads.parallelFor(pieces, p -> {
            ReductionKernels r = new ReductionKernels(ReduceOp.SUM, dst, src, region);
            for (int b = (int) ((long) blocks * p / pieces); b < (long) blocks * (p + 1) / pieces; b++) {
                partial[b] = r.partialSum(base, (long) b * SUM_BLOCK, Math.min(n, (long) (b + 1) * SUM_BLOCK));
            }
        });
        double total = 0;
        for (double x : partial) {
            total += x;
        }
        int at = Math.toIntExact(dst.offset());
        if (dst.dtype() == DType.FLOAT32) {
            ((float[]) ((HostBuffer) dst.buffer()).array())[at] = (float) total;
        } else {
            ((double[]) ((HostBuffer) dst.buffer()).array())[at] = total;
        }
    }

    /** The sum of elements {@code [first, end)} of the region at {@code base}, in row-major order. */
    private double partialSum(int base, long first, long end) {
        floating.reset();
        int stride = region.innerStride(0);
        region.forEachRun(first, end, (offset, length) -> feed(base + offset[0], stride, length));
        return floating.value();
    }

    private void reduceAt(int base) {
        if (floating != null) {
            floating.reset();
        } else {
            integer.reset();
        }
        if (region.numel() == 0) {
            return;
        }
        int stride = region.innerStride(0);
        if (region.isSingleRun()) {
            feed(base, stride, region.innerLength()); // the common case, without a visitor per destination element
        } else {
            region.forEachRun((offset, length) -> feed(base + offset[0], stride, length));
        }
    }

    private void feed(int offset, int stride, int length) {
        if (floating != null) {
            if (stride == 1 && src instanceof double[]) {
                floating.add((double[]) src, offset, offset + length);
                return;
            }
            if (stride == 1 && op == ReduceOp.SUM) {
                floating.addSum((float[]) src, offset, offset + length);
                return;
            }
            for (int start = 0; start < length; start += doubleScratch.length) {
                int m = Math.min(doubleScratch.length, length - start);
                gatherDoubles(offset + start * stride, stride, m);
                floating.add(doubleScratch, 0, m);
            }
        } else {
            if (stride == 1 && src instanceof long[]) {
                integer.add((long[]) src, offset, offset + length);
                return;
            }
            for (int start = 0; start < length; start += longScratch.length) {
                int m = Math.min(longScratch.length, length - start);
                gatherLongs(offset + start * stride, stride, m);
                integer.add(longScratch, 0, m);
            }
        }
    }

    private void gatherDoubles(int offset, int stride, int length) {
        double[] d = doubleScratch;
        if (src instanceof float[]) {
            float[] s = (float[]) src;
            for (int i = 0, p = offset; i < length; i++, p += stride) {
                d[i] = s[p];
            }
        } else {
            double[] s = (double[]) src;
            for (int i = 0, p = offset; i < length; i++, p += stride) {
                d[i] = s[p];
            }
        }
    }

    private void gatherLongs(int offset, int stride, int length) {
        long[] d = longScratch;
        if (src instanceof long[]) {
            long[] s = (long[]) src;
            for (int i = 0, p = offset; i < length; i++, p += stride) {
                d[i] = s[p];
            }
        } else if (src instanceof int[]) {
            int[] s = (int[]) src;
            for (int i = 0, p = offset; i < length; i++, p += stride) {
                d[i] = s[p];
            }
        } else {
            byte[] s = (byte[]) src;
            for (int i = 0, p = offset; i < length; i++, p += stride) {
                d[i] = s[p];
            }
        }
    }

    private void writeAt(int position) {
        if (op == ReduceOp.ARGMAX || op == ReduceOp.ARGMIN) {
            ((long[]) dst)[position] = floating != null ? floating.position() : integer.position();
            return;
        }
        switch (dstType) {
            case FLOAT32:
                ((float[]) dst)[position] = (float) floating.value();
                break;
            case FLOAT64:
                ((double[]) dst)[position] = floating.value();
                break;
            case INT64:
                ((long[]) dst)[position] = integer.value();
                break;
            case INT32:
                ((int[]) dst)[position] = (int) integer.value();
                break;
            default:
                ((byte[]) dst)[position] = (byte) (integer.value() != 0 ? 1 : 0);
        }
    }
}
