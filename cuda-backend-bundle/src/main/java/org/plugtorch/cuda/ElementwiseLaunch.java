package org.plugtorch.cuda;

import org.plugtorch.spi.Operand;

/**
 * Queues one element-wise kernel over strided operands: the layout is simplified ({@link StridedLayout}), split when
 * it has more dimensions than the kernel struct holds, and launched with parameters in the kernels' order: the
 * struct, the op code (for kernels that switch on one), the operands' base pointers (element offsets travel in the
 * struct), then a fill value's bits.
 */
final class ElementwiseLaunch {
    private ElementwiseLaunch() {}

    /**
     * @param op   the op code, or null for kernels without one
     * @param bits the fill value's bits, or null for other kernels
     */
    static void run(CudaDevice device, String kernel, Integer op, Long bits, Operand... operands) {
        StridedLayout layout = StridedLayout.of(operands);
        if (layout.numel() == 0) {
            return;
        }
        for (StridedLayout part : layout.split(KernelStructs.MAX_DIMS)) {
            KernelArgs args = new KernelArgs().struct(part.pack());
            if (op != null) {
                args.int32(op);
            }
            for (Operand o : operands) {
                args.pointer(((CudaBuffer) o.buffer()).address);
            }
            if (bits != null) {
                args.uint64(bits);
            }
            int blocks = Grids.strideBlocks(part.numel(), Grids.BLOCK, device.properties);
            device.launch(
                    KernelModule.ELEMENTWISE,
                    kernel,
                    new int[] {blocks, 1, 1},
                    new int[] {Grids.BLOCK, 1, 1},
                    args.toArray());
        }
    }
}
