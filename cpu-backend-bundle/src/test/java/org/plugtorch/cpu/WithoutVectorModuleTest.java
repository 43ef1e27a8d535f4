package org.plugtorch.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.plugtorch.DType;
import org.plugtorch.spi.HostBuffer;
import org.plugtorch.spi.Operand;

/**
 * On a JVM started without {@code --add-modules jdk.incubator.vector} the backend loads, says it runs the scalar GEMM
 * and why, multiplies correctly on several threads, and refuses an explicit request for the vector path. Runs in a
 * child JVM, since the tests' own JVM has the module.
 */
class WithoutVectorModuleTest {
    static final String REASON =
            "jdk.incubator.vector is not in the boot layer; start the JVM with --add-modules" + " jdk.incubator.vector";

    @Test
    void scalarPathRunsAndSaysWhy() throws Exception {
        String java = System.getProperty("java.home") + File.separator + "bin" + File.separator + "java";
        Process p = new ProcessBuilder(List.of(
                        java, "-cp", System.getProperty("java.class.path"), WithoutVectorModuleTest.class.getName()))
                .redirectErrorStream(true)
                .start();
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "the child JVM finished");
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.exitValue(), out);
        assertTrue(out.contains("gemm: scalar (" + REASON + ")"), out);
        assertTrue(out.contains("vector refused: the Vector API gemm was asked for but " + REASON), out);
        assertTrue(out.contains("product ok"), out);
    }

    /** The child: prints the backend's description, a refused vector request, and checks one threaded product. */
    public static void main(String[] args) {
        CpuBackend backend = new CpuBackend(2);
        System.out.println(backend.devices().get(0).name());
        try {
            new CpuBackend(1, "vector");
            System.out.println("vector accepted");
        } catch (IllegalStateException e) {
            System.out.println("vector refused: " + e.getMessage());
        }
        int m = 150;
        int k = 170;
        int n = 130;
        float[] a = new float[m * k];
        float[] b = new float[k * n];
        for (int i = 0; i < a.length; i++) {
            a[i] = (i % 7) - 3;
        }
        for (int i = 0; i < b.length; i++) {
            b[i] = (i % 5) - 2;
        }
        HostBuffer out = HostBuffer.allocate(DType.FLOAT32, (long) m * n);
        backend.matmul(
                Operand.contiguous(out, 1, m, n),
                Operand.contiguous(HostBuffer.wrap(a), 1, m, k),
                Operand.contiguous(HostBuffer.wrap(b), 1, k, n));
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                float exact = 0; // small integers: every partial sum is exact in float
                for (int kk = 0; kk < k; kk++) {
                    exact += a[i * k + kk] * b[kk * n + j];
                }
                if (out.floats()[i * n + j] != exact) {
                    System.out.println("product wrong at [" + i + ", " + j + "]: " + out.floats()[i * n + j]);
                    System.exit(1);
                }
            }
        }
        System.out.println("product ok");
    }
}
