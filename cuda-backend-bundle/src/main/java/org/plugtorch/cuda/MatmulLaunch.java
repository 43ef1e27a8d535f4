package org.plugtorch.cuda;

import org.plugtorch.DType;
import org.plugtorch.spi.Operand;

/**
 * Queues the tiled matrix product: one block per output tile, tiles of {@link #TILE_32} for 32-bit dtypes and
 * {@link #TILE_64} for 64-bit ones ({@code PT_MM32_BM} and friends in {@code plugtorch.cuh}). Grid dimensions y (row
 * tiles) and z (batch) are limited to 65535, so larger products go in several launches, each with its operands'
 * offsets moved on.
 */
final class MatmulLaunch {
    static final int TILE_32 = 128;
    static final int TILE_64 = 64;

    private MatmulLaunch() {}

    static int tile(DType dtype) {
        return dtype.byteSize() == 8 ? TILE_64 : TILE_32;
    }

    static void run(CudaDevice device, Operand c, Operand a, Operand b) {
        long batch = c.shape()[0];
        long m = c.shape()[1];
        long n = c.shape()[2];
        long k = a.shape()[2];
        if (batch == 0 || m == 0 || n == 0) {
            return;
        }
        int tile = tile(c.dtype());
        String kernel = "pt_matmul_" + KernelNames.of(c.dtype());
        long[] as = a.strides();
        long[] bs = b.strides();
        long[] cs = c.strides();
        long rowsPerLaunch = (long) Grids.MAX_GRID_YZ * tile;
        byte[][] params;
        for (long z0 = 0; z0 < batch; z0 += Grids.MAX_GRID_YZ) {
            long zs = Math.min(Grids.MAX_GRID_YZ, batch - z0);
            for (long m0 = 0; m0 < m; m0 += rowsPerLaunch) {
                long ms = Math.min(rowsPerLaunch, m - m0);
                long[] fields = {
                    zs,
                    ms,
                    n,
                    k,
                    a.offset() + z0 * as[0] + m0 * as[1],
                    b.offset() + z0 * bs[0],
                    c.offset() + z0 * cs[0] + m0 * cs[1],
                    as[0],
                    as[1],
                    as[2],
                    bs[0],
                    bs[1],
                    bs[2],
                    cs[0],
                    cs[1],
                    cs[2]
                };
                params = new KernelArgs()
                        .struct(fields)
                        .pointer(((CudaBuffer) c.buffer()).address)
                        .pointer(((CudaBuffer) a.buffer()).address)
                        .pointer(((CudaBuffer) b.buffer()).address)
                        .toArray();
                int[] grid = {(int) Grids.ceilDiv(n, tile), (int) Grids.ceilDiv(ms, tile), (int) zs};
                device.launch(KernelModule.MATMUL, kernel, grid, new int[] {Grids.BLOCK, 1, 1}, params);
            }
        }
    }
}
