package org.plugtorch.cuda;

import java.nio.FloatBuffer;
import java.util.Locale;
import java.util.SplittableRandom;
import org.plugtorch.DType;
import org.plugtorch.Device;
import org.plugtorch.spi.DeviceBuffer;
import org.plugtorch.spi.Operand;

/**
 * The float32 GEMM benchmark of the GPU check ({@code cuda-backend-bundle/gpu/run-gpu-checks.sh}): {@code C = A @ B}
 * for square n through the backend's tiled kernel, timed over enough repetitions to run about a second after warm-up,
 * with the device synchronised around the timed loop. Before timing it checks a sample of the result against double
 * dot products, so a fast wrong kernel cannot pass. Prints one tab-separated line per size:
 * {@code gemm <n> <GFLOP/s> <ms per product> <max error / bound>}.
 *
 * <p>Usage: {@code GemmBenchmark cuda:0 1024 4096 8192}. A tool, not a test: nothing here asserts a time.
 */
public final class GemmBenchmark {
    private GemmBenchmark() {}

    public static void main(String[] args) {
        Device device = Device.parse(args.length > 0 ? args[0] : "cuda:0");
        CudaBackend backend = new CudaBackend();
        if (backend.unavailableReason() != null) {
            System.out.println("gemm\tunavailable\t" + backend.unavailableReason());
            System.exit(2);
        }
        try {
            for (int i = 1; i < Math.max(args.length, 2); i++) {
                int n = args.length > i ? Integer.parseInt(args[i]) : 1024;
                run(backend, device, n);
            }
        } finally {
            backend.deactivate();
        }
    }

    private static void run(CudaBackend backend, Device device, int n) {
        long elements = (long) n * n;
        SplittableRandom random = new SplittableRandom(n);
        float[] a = new float[(int) elements];
        float[] b = new float[(int) elements];
        for (int i = 0; i < a.length; i++) {
            a[i] = (float) (random.nextDouble() * 2 - 1);
            b[i] = (float) (random.nextDouble() * 2 - 1);
        }
        DeviceBuffer da = backend.allocate(device, DType.FLOAT32, elements);
        DeviceBuffer db = backend.allocate(device, DType.FLOAT32, elements);
        DeviceBuffer dc = backend.allocate(device, DType.FLOAT32, elements);
        try {
            backend.copyIn(da, 0, FloatBuffer.wrap(a));
            backend.copyIn(db, 0, FloatBuffer.wrap(b));
            Operand c = Operand.contiguous(dc, 1, n, n);
            Operand x = Operand.contiguous(da, 1, n, n);
            Operand y = Operand.contiguous(db, 1, n, n);
            backend.matmul(c, x, y);
            double worst = check(backend, dc, a, b, n);
            double flops = 2.0 * n * n * n;
            int reps = (int) Math.max(3, Math.min(500, 1.0e12 / flops));
            for (int i = 0; i < 2; i++) {
                backend.matmul(c, x, y);
            }
            backend.synchronize(device);
            long start = System.nanoTime();
            for (int i = 0; i < reps; i++) {
                backend.matmul(c, x, y);
            }
            backend.synchronize(device);
            double seconds = (System.nanoTime() - start) / 1e9 / reps;
            System.out.println(String.format(
                    Locale.ROOT, "gemm\t%d\t%.1f\t%.3f\t%.3f", n, flops / seconds / 1e9, seconds * 1e3, worst));
        } finally {
            backend.free(da);
            backend.free(db);
            backend.free(dc);
        }
    }

    /** The largest error of a sample of 256 elements, as a fraction of its rounding bound (at most 1 is right). */
    private static double check(CudaBackend backend, DeviceBuffer dc, float[] a, float[] b, int n) {
        SplittableRandom pick = new SplittableRandom(7);
        double worst = 0;
        float[] one = new float[1];
        for (int s = 0; s < 256; s++) {
            int i = pick.nextInt(n);
            int j = pick.nextInt(n);
            backend.copyOut(dc, (long) i * n + j, FloatBuffer.wrap(one));
            double exact = 0;
            double magnitude = 0;
            for (int k = 0; k < n; k++) {
                double p = (double) a[i * n + k] * b[k * n + j];
                exact += p;
                magnitude += Math.abs(p);
            }
            double bound = (n + 2) * 0x1p-24 * magnitude;
            worst = Math.max(worst, Math.abs(one[0] - exact) / bound);
        }
        if (!(worst <= 1)) {
            throw new IllegalStateException("the product at n = " + n + " is wrong: an element is off by " + worst
                    + " times its rounding bound");
        }
        return worst;
    }
}
