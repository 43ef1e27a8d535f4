package org.plugtorch.cuda;

import static org.plugtorch.spi.Preconditions.checkState;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.plugtorch.spi.IterationSpace;
import org.plugtorch.spi.Operand;

/**
 * A reduction simplified for the kernel: the kept (outer) dimensions, shared by destination and source, and the
 * reduced (inner) dimensions of the source, each coalesced by the SPI's {@link IterationSpace#inOrder} (extent-1
 * dimensions dropped, neighbours merged where the strides allow). Inner dimensions keep their order, because ARGMAX
 * and ARGMIN report row-major positions in them; merging neighbours preserves those positions.
 */
final class ReductionLayout {
    final long[] outerShape;
    final long[] dstStride;
    final long[] srcOuterStride;
    final long[] innerShape;
    final long[] srcInnerStride;
    final long inner;
    final long dstOffset;
    final long srcOffset;

    private ReductionLayout(
            long[] outerShape,
            long[] dstStride,
            long[] srcOuterStride,
            long[] innerShape,
            long[] srcInnerStride,
            long inner,
            long dstOffset,
            long srcOffset) {
        this.outerShape = outerShape;
        this.dstStride = dstStride;
        this.srcOuterStride = srcOuterStride;
        this.innerShape = innerShape;
        this.srcInnerStride = srcInnerStride;
        this.inner = inner;
        this.dstOffset = dstOffset;
        this.srcOffset = srcOffset;
    }

    static ReductionLayout of(Operand dst, Operand src) {
        int kept = dst.rank();
        long[] srcStrides = src.strides();
        IterationSpace outer = IterationSpace.inOrder(dst.shape(), dst.strides(), Arrays.copyOf(srcStrides, kept));
        IterationSpace in = IterationSpace.inOrder(
                Arrays.copyOfRange(src.shape(), kept, src.rank()), Arrays.copyOfRange(srcStrides, kept, src.rank()));
        long inner = in.numel();
        // nothing to visit when inner is 0: every destination element is the identity
        long[] innerShape = inner == 0 ? new long[0] : in.shape();
        long[] innerStride = inner == 0 ? new long[0] : in.strides(0);
        return new ReductionLayout(
                outer.shape(),
                outer.strides(0),
                outer.strides(1),
                innerShape,
                innerStride,
                inner,
                dst.offset(),
                src.offset());
    }

    long outputs() {
        long n = 1;
        for (long d : outerShape) {
            n *= d;
        }
        return n;
    }

    int innerRank() {
        return innerShape.length;
    }

    /** Layouts of at most {@code maxRank} outer dimensions that together cover this one. */
    List<ReductionLayout> splitOuter(int maxRank) {
        if (outerShape.length <= maxRank) {
            return List.of(this);
        }
        int lead = outerShape.length - maxRank;
        long[] leadShape = Arrays.copyOf(outerShape, lead);
        List<ReductionLayout> parts = new ArrayList<>();
        long[] idx = new long[lead];
        do {
            long dOff = dstOffset;
            long sOff = srcOffset;
            for (int d = 0; d < lead; d++) {
                dOff += idx[d] * dstStride[d];
                sOff += idx[d] * srcOuterStride[d];
            }
            parts.add(new ReductionLayout(
                    Arrays.copyOfRange(outerShape, lead, outerShape.length),
                    Arrays.copyOfRange(dstStride, lead, dstStride.length),
                    Arrays.copyOfRange(srcOuterStride, lead, srcOuterStride.length),
                    innerShape,
                    srcInnerStride,
                    inner,
                    dOff,
                    sOff));
        } while (IterationSpace.next(idx, leadShape));
        return parts;
    }

    /** The {@code PtReduction} struct's fields ({@link KernelStructs#REDUCTION}). */
    long[] pack() {
        int max = KernelStructs.MAX_DIMS;
        checkState(
                outerShape.length <= max && innerShape.length <= max,
                () -> "reduction of " + outerShape.length + " kept and " + innerShape.length
                        + " reduced dimensions does not fit the kernel's struct");
        long[] f = new long[KernelStructs.longs(KernelStructs.REDUCTION)];
        int p = 0;
        f[p++] = outputs();
        f[p++] = inner;
        f[p++] = outerShape.length;
        f[p++] = innerShape.length;
        p = padded(f, p, outerShape, 1);
        p = padded(f, p, innerShape, 1);
        f[p++] = dstOffset;
        f[p++] = srcOffset;
        p = padded(f, p, dstStride, 0);
        p = padded(f, p, srcOuterStride, 0);
        padded(f, p, srcInnerStride, 0);
        return f;
    }

    private static int padded(long[] f, int p, long[] values, long fill) {
        for (int d = 0; d < KernelStructs.MAX_DIMS; d++) {
            f[p++] = d < values.length ? values[d] : fill;
        }
        return p;
    }

    @Override
    public String toString() {
        return "ReductionLayout(outer " + Arrays.toString(outerShape) + " dst strides " + Arrays.toString(dstStride)
                + " src strides " + Arrays.toString(srcOuterStride) + ", inner " + Arrays.toString(innerShape)
                + " strides " + Arrays.toString(srcInnerStride) + ", offsets " + dstOffset + "/" + srcOffset + ")";
    }
}
