package org.plugtorch.cuda;

import org.plugtorch.spi.Operand;

/**
 * Queues a reduction kernel: blocks of {@code TY} rows of {@code TX} threads, one destination element per row, with
 * {@code TX} the power of two that covers the reduced size (up to a whole block), so short rows do not leave most
 * threads idle and long rows get a whole block. Layouts with more kept dimensions than the struct holds are split;
 * the caller makes the reduced dimensions fit first ({@link #fits}).
 */
final class ReductionLaunch {
    private ReductionLaunch() {}

    /** Whether the reduced dimensions fit the kernel struct; if not, reduce a contiguous copy of the source. */
    static boolean fits(ReductionLayout layout) {
        return layout.innerRank() <= KernelStructs.MAX_DIMS;
    }

    static void run(CudaDevice device, int op, Operand dst, Operand src, ReductionLayout layout) {
        if (layout.outputs() == 0) {
            return;
        }
        int width = 1;
        while (width < Grids.BLOCK && width < layout.inner) {
            width *= 2;
        }
        int rows = Grids.BLOCK / width;
        String kernel = "pt_reduce_" + KernelNames.of(src.dtype());
        for (ReductionLayout part : layout.splitOuter(KernelStructs.MAX_DIMS)) {
            byte[][] params = new KernelArgs()
                    .struct(part.pack())
                    .int32(op)
                    .pointer(((CudaBuffer) dst.buffer()).address)
                    .pointer(((CudaBuffer) src.buffer()).address)
                    .toArray();
            int blocks = Grids.strideBlocks(part.outputs(), rows, device.properties);
            device.launch(KernelModule.REDUCE, kernel, new int[] {blocks, 1, 1}, new int[] {width, rows, 1}, params);
        }
    }
}
