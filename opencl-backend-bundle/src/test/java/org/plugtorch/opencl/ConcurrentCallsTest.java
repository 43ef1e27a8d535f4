package org.plugtorch.opencl;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.plugtorch.opencl.SharedOpenCl.OPENCL_0;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.plugtorch.Generator;
import org.plugtorch.Tensor;
import org.plugtorch.registry.Backends;

/** Calls from several threads at once share one device program; each still gets its own, correct result. */
class ConcurrentCallsTest {
    @Test
    void fourThreadsComputeOnOneDeviceAtOnce() throws Exception {
        SharedOpenCl.available();
        Backends.forDevice(OPENCL_0);
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<Boolean>> results = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                long seed = t;
                results.add(pool.submit(() -> {
                    boolean ok = true;
                    for (int i = 0; i < 20; i++) {
                        Tensor a = Tensor.randn(
                                new long[] {17, 9},
                                org.plugtorch.DType.FLOAT32,
                                org.plugtorch.Device.CPU,
                                new Generator(seed * 100 + i));
                        Tensor b = Tensor.randn(
                                new long[] {9, 5},
                                org.plugtorch.DType.FLOAT32,
                                org.plugtorch.Device.CPU,
                                new Generator(seed * 1000 + i));
                        Tensor expected = a.matmul(b).relu().sum(0, false);
                        Tensor actual = a.to(OPENCL_0)
                                .matmul(b.to(OPENCL_0))
                                .relu()
                                .sum(0, false)
                                .cpu();
                        ok &= actual.allclose(expected, 1e-5, 1e-5);
                    }
                    return ok;
                }));
            }
            for (Future<Boolean> f : results) {
                assertTrue(f.get(), "every thread's results match the cpu's");
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
