package org.plugtorch.cuda;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Executes {@link FakeCudaDriver}'s launches with the backend's own CUDA C kernels, compiled for the CPU by
 * {@link CudaEmulator} and run in a helper process: the memory each pointer parameter lands in is sent along, the
 * kernel runs over the launch's grid and blocks (threads of a block as fibers, so {@code __syncthreads} and
 * shared memory behave), and the memory comes back. With it, the test kits exercise the kernel source itself on a
 * machine without a GPU: its index arithmetic, tiling, reductions and dtype rules. What it cannot show is how nvcc
 * compiles that source and how accurate CUDA's math library is; the GPU run does.
 */
final class EmulatedKernels implements FakeCudaDriver.Executor {
    private static final Object LOCK = new Object();
    private static Process process;
    private static OutputStream toEmulator;
    private static DataInputStream fromEmulator;

    @Override
    public void execute(FakeCudaDriver driver, int device, String kernel, int[] grid, int[] block, byte[][] params) {
        List<FakeCudaDriver.Allocation> regions = new ArrayList<>();
        for (byte[] p : params) {
            if (p.length == 8) { // pointers (and a fill value, which lands in no allocation)
                long value = ByteBuffer.wrap(p).order(ByteOrder.LITTLE_ENDIAN).getLong();
                FakeCudaDriver.Allocation a = driver.allocationHolding(device, value);
                if (a != null && !regions.contains(a)) {
                    regions.add(a);
                }
            }
        }
        synchronized (LOCK) {
            try {
                start();
                toEmulator.write(request(kernel, grid, block, params, regions));
                toEmulator.flush();
                int status = Integer.reverseBytes(fromEmulator.readInt());
                if (status != 0) {
                    byte[] message = new byte[Integer.reverseBytes(fromEmulator.readInt())];
                    fromEmulator.readFully(message);
                    throw new IllegalStateException("the emulated kernel " + kernel + " failed: "
                            + new String(message, StandardCharsets.UTF_8));
                }
                for (FakeCudaDriver.Allocation a : regions) {
                    fromEmulator.readFully(a.bytes);
                }
            } catch (IOException e) {
                stop();
                throw new IllegalStateException("the kernel emulator died running " + kernel, e);
            }
        }
    }

    private static byte[] request(
            String kernel, int[] grid, int[] block, byte[][] params, List<FakeCudaDriver.Allocation> regions) {
        byte[] name = kernel.getBytes(StandardCharsets.US_ASCII);
        int size = 4 + name.length + 24 + 4;
        for (byte[] p : params) {
            size += 4 + p.length;
        }
        size += 4;
        for (FakeCudaDriver.Allocation a : regions) {
            size += 16 + a.bytes.length;
        }
        ByteBuffer b = ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(name.length).put(name);
        for (int g : grid) {
            b.putInt(g);
        }
        for (int t : block) {
            b.putInt(t);
        }
        b.putInt(params.length);
        for (byte[] p : params) {
            b.putInt(p.length).put(p);
        }
        b.putInt(regions.size());
        for (FakeCudaDriver.Allocation a : regions) {
            b.putLong(a.base).putLong(a.bytes.length).put(a.bytes);
        }
        return b.array();
    }

    private static void start() throws IOException {
        if (process != null && process.isAlive()) {
            return;
        }
        process = new ProcessBuilder(CudaEmulator.binary().toString())
                .redirectError(ProcessBuilder.Redirect.INHERIT)
                .start();
        toEmulator = process.getOutputStream();
        InputStream in = process.getInputStream();
        fromEmulator = new DataInputStream(in);
    }

    private static void stop() {
        if (process != null) {
            process.destroy();
            process = null;
        }
    }

    /** A driver with one emulated GPU (one multiprocessor, so grid-stride kernels launch few blocks). */
    static FakeCudaDriver driver(long memory) {
        return new FakeCudaDriver(
                new EmulatedKernels(), 13000, new FakeCudaDriver.Gpu("CPU-emulated GPU", 9, 0, memory, 1));
    }
}
