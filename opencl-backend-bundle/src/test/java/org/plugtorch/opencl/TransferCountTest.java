package org.plugtorch.opencl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.plugtorch.opencl.SharedOpenCl.OPENCL_0;

import org.junit.jupiter.api.Test;
import org.plugtorch.Tensor;
import org.plugtorch.registry.Backends;

/**
 * Tensors stay on the device between ops: a chain of operations on opencl:0 moves no tensor data across the host
 * boundary, only what the program asks for (moving inputs in, reading a result out). Counted by the device itself,
 * so a regression that stages through the host shows up as a number.
 */
class TransferCountTest {
    private static OpenClBackend serving() {
        SharedOpenCl.available();
        return (OpenClBackend) Backends.forDevice(OPENCL_0);
    }

    private static Tensor chain(Tensor a, Tensor b, Tensor w) {
        return a.add(b)
                .mul(a)
                .relu()
                .sub(b)
                .matmul(w)
                .tanh()
                .t()
                .contiguous()
                .sum(1, false)
                .exp();
    }

    @Test
    void aChainOfOpsDoesNotRoundTripThroughTheHost() {
        OpenClBackend backend = serving();
        Tensor a = Tensor.randn(64, 32);
        Tensor b = Tensor.randn(64, 32);
        Tensor w = Tensor.randn(32, 16);

        TransferStats start = backend.transferStats(OPENCL_0);
        Tensor da = a.to(OPENCL_0);
        Tensor db = b.to(OPENCL_0);
        Tensor dw = w.to(OPENCL_0);
        TransferStats moved = backend.transferStats(OPENCL_0).since(start);
        assertEquals(3, moved.hostToDevice, "three tensors moved in: " + moved);
        assertEquals(4L * (64 * 32 * 2 + 32 * 16), moved.hostToDeviceBytes, "their bytes: " + moved);

        chain(da, db, dw); // arenas grow to their working size here, if they must
        TransferStats before = backend.transferStats(OPENCL_0);
        Tensor result = chain(da, db, dw);
        TransferStats during = backend.transferStats(OPENCL_0).since(before);
        assertEquals(0, during.hostToDevice, "no tensor data went to the device during the chain: " + during);
        assertEquals(0, during.deviceToHost, "no tensor data came back during the chain: " + during);
        assertEquals(0, during.arenaRoundTrips, "no arena grew: " + during);
        assertTrue(during.launches >= 9, "every op ran as a kernel on the device: " + during);
        assertEquals(OPENCL_0, result.device());

        TransferStats beforeRead = backend.transferStats(OPENCL_0);
        Tensor onHost = result.cpu();
        TransferStats read = backend.transferStats(OPENCL_0).since(beforeRead);
        assertEquals(1, read.deviceToHost, "one read-back for the result: " + read);
        assertEquals(4L * 16, read.deviceToHostBytes, "of exactly its 16 floats: " + read);
        assertEquals(0, read.hostToDevice);

        Tensor expected = chain(a, b, w);
        assertTrue(onHost.allclose(expected, 1e-4, 1e-5), "opencl " + onHost + " vs cpu " + expected);
    }

    @Test
    void aJavaNumberInAnOpIsOneScalarTransferAndNoMore() {
        OpenClBackend backend = serving();
        Tensor x = Tensor.randn(1000).to(OPENCL_0);
        x.mul(2.0); // warm the arenas
        TransferStats before = backend.transferStats(OPENCL_0);
        x.mul(2.0).add(1.0);
        TransferStats during = backend.transferStats(OPENCL_0).since(before);
        assertEquals(2, during.hostToDevice, "the runtime moves each number to the device as a 0-d tensor: " + during);
        assertEquals(
                2L * 8, during.hostToDeviceBytes, "a Java double is a float64 scalar, cast on the device: " + during);
        assertEquals(0, during.deviceToHost, during.toString());
    }
}
