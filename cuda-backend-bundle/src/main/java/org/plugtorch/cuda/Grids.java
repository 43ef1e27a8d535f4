package org.plugtorch.cuda;

/** Launch geometry shared by the kernels: 256-thread blocks and grids that stay within the device's limits. */
final class Grids {
    /** Threads per block of every kernel ({@code PT_BLOCK}). */
    static final int BLOCK = 256;
    /** The limit of grid dimensions y and z on every CUDA device. */
    static final int MAX_GRID_YZ = 65535;
    /** Blocks per multiprocessor worth launching for grid-stride kernels; more only add scheduling. */
    private static final int BLOCKS_PER_MULTIPROCESSOR = 32;

    private Grids() {}

    /** Blocks for a grid-stride loop over {@code items} items handled {@code perBlock} at a time. */
    static int strideBlocks(long items, long perBlock, DeviceProperties device) {
        long wanted = (items + perBlock - 1) / perBlock;
        long cap = Math.max(1L, (long) device.multiprocessors * BLOCKS_PER_MULTIPROCESSOR);
        return (int) Math.max(1, Math.min(wanted, cap));
    }

    static long ceilDiv(long a, long b) {
        return (a + b - 1) / b;
    }
}
