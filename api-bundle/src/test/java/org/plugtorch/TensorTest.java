package org.plugtorch;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.plugtorch.tck.ReferenceDevices;

/** The tensor API's semantics and PyTorch's error texts (recorded from PyTorch 1.13). */
class TensorTest {

    @BeforeAll
    static void devices() {
        ReferenceDevices.install();
    }

    private static String error(Executable call) {
        return assertThrows(RuntimeException.class, call).getMessage();
    }

    private static Tensor m23() {
        return Tensor.fromArray(new float[] {1, 2, 3, 4, 5, 6}, 2, 3);
    }

    @Test
    void devicesParseAndPrintAsInPyTorch() {
        assertEquals("cuda:0", Device.parse("cuda").toString());
        assertEquals(Device.parse("cuda:0"), Device.parse("cuda"));
        assertEquals("opencl:1", Device.parse("opencl:1").toString());
        assertEquals("cpu", Device.parse("cpu").toString());
        assertSame(Device.CPU, Device.parse("cpu:0"));
        assertEquals(Device.of("cuda", 1), Device.parse("cuda:1"));
        assertFalse(Device.parse("cuda:0").equals(Device.parse("cuda:1")));
        assertEquals("Invalid device string: 'cuda:x'", error(() -> Device.parse("cuda:x")));
        assertEquals("Invalid device string: 'cuda:-1'", error(() -> Device.parse("cuda:-1")));
        assertEquals("Invalid device string: 'CUDA'", error(() -> Device.parse("CUDA")));
    }

    @Test
    void creation() {
        assertArrayEquals(new long[] {2, 3}, Tensor.zeros(2, 3).shape());
        assertEquals(DType.FLOAT32, Tensor.ones(2).dtype());
        assertArrayEquals(new float[] {7, 7}, Tensor.full(new long[] {2}, 7).toFloatArray());
        assertArrayEquals(new long[] {0, 1, 2, 3, 4}, Tensor.arange(5).toLongArray());
        assertArrayEquals(new long[] {1, 4, 7}, Tensor.arange(1, 10, 3).toLongArray());
        assertArrayEquals(
                new float[] {0f, 0.3f, 0.6f, 0.9f}, Tensor.arange(0, 1, 0.3).toFloatArray());
        assertEquals("upper bound and larger bound inconsistent with step sign", error(() -> Tensor.arange(5, 1, 1)));
        assertEquals(DType.INT32, Tensor.of(1, 2).dtype());
        assertEquals(DType.BOOL, Tensor.of(true).dtype());
        assertEquals(0, Tensor.scalar(2.5).dim());
        assertEquals(2.5, Tensor.scalar(2.5).item());
        assertEquals(-0.0, Tensor.full(new long[] {1}, -0.0).item());
        assertEquals("shape '[4]' is invalid for input of size 3", error(() -> Tensor.fromArray(new float[3], 4)));
        assertEquals("Trying to create tensor with negative dimension -1: [2, -1]", error(() -> Tensor.zeros(2, -1)));
        Tensor onFake = Tensor.ones(new long[] {2}, DType.INT64, ReferenceDevices.FAKE);
        assertEquals(ReferenceDevices.FAKE, onFake.device());
        assertArrayEquals(new long[] {1, 1}, onFake.toLongArray());
    }

    @Test
    void viewsShareStorage() {
        Tensor x = m23();
        Tensor v = x.view(3, 2);
        assertTrue(v.sharesStorageWith(x));
        v.get(0).fill_(9.0);
        assertArrayEquals(new float[] {9, 9, 3, 4, 5, 6}, x.toFloatArray());
        assertArrayEquals(new long[] {6}, x.view(-1).shape());
        assertArrayEquals(new float[] {1, 4, 2, 5, 3, 6}, m23().t().contiguous().toFloatArray());
        assertArrayEquals(new long[] {1, 3}, m23().t().stride());
        assertFalse(m23().t().isContiguous());
        assertArrayEquals(new float[] {2, 5}, m23().select(1, 1).toFloatArray());
        assertArrayEquals(new float[] {3, 6}, m23().select(1, -1).toFloatArray());
        assertArrayEquals(new float[] {1, 3, 4, 6}, m23().slice(1, 0, 3, 2).toFloatArray());
        assertArrayEquals(new float[] {2, 3, 5, 6}, m23().slice(1, -2, 100).toFloatArray());
        assertArrayEquals(new long[] {2, 0}, m23().slice(1, 2, 1).shape());
        assertArrayEquals(
                new float[] {5, 6}, m23().narrow(0, 1, 1).narrow(1, 1, 2).toFloatArray());
        assertArrayEquals(new long[] {2, 1, 3}, m23().unsqueeze(1).shape());
        assertArrayEquals(new long[] {2, 3, 1}, m23().unsqueeze(-1).shape());
        assertArrayEquals(
                new long[] {2, 3}, m23().unsqueeze(0).unsqueeze(2).squeeze().shape());
        assertArrayEquals(new long[] {3, 2}, m23().permute(1, 0).shape());
        assertArrayEquals(
                new float[] {1, 2, 3, 1, 2, 3},
                Tensor.of(1f, 2f, 3f).expand(2, -1).contiguous().toFloatArray());
        assertArrayEquals(new long[] {0, 1}, Tensor.of(1f, 2f, 3f).expand(2, 3).stride());
        assertArrayEquals(new long[] {6}, m23().flatten().shape());
        assertArrayEquals(new float[] {1, 4, 2, 5, 3, 6}, m23().t().reshape(6).toFloatArray());
        assertEquals(6.0, m23().get(1, 2).item());
    }

    @Test
    void viewErrorsAreThoseOfPyTorch() {
        assertEquals(
                "view size is not compatible with input tensor's size and stride (at least one dimension spans "
                        + "across two contiguous subspaces). Use .reshape(...) instead.",
                error(() -> m23().t().view(6)));
        assertEquals(
                "shape '[2, -1]' is invalid for input of size 3",
                error(() -> Tensor.ones(3).view(2, -1)));
        assertEquals(
                "only one dimension can be inferred",
                error(() -> Tensor.zeros(2, 3).view(3, -1, -1)));
        assertEquals(
                "Dimension out of range (expected to be in range of [-2, 1], but got 5)",
                error(() -> m23().transpose(0, 5)));
        assertEquals(
                "Dimension out of range (expected to be in range of [-2, 1], but got 3)",
                error(() -> Tensor.ones(3).unsqueeze(3)));
        assertEquals("permute(): duplicate dims are not allowed.", error(() -> m23().permute(0, 0)));
        assertEquals(
                "start (2) + length (2) exceeds dimension size (3).",
                error(() -> Tensor.ones(3).narrow(0, 2, 2)));
        assertEquals(
                "select(): index 5 out of range for tensor of size [2, 3] at dimension 1",
                error(() -> m23().select(1, 5)));
        assertEquals(
                "t() expects a tensor with <= 2 dimensions, but self is 3D",
                error(() -> Tensor.ones(2, 2, 2).t()));
        assertEquals(
                "The expanded size of the tensor (3) must match the existing size (2) at non-singleton dimension 1.  "
                        + "Target sizes: [3, 3].  Tensor sizes: [2]",
                error(() -> Tensor.ones(2).expand(3, 3)));
    }

    @Test
    void broadcastingAndItsError() {
        Tensor col = Tensor.fromArray(new float[] {10, 20}, 2, 1);
        assertArrayEquals(new float[] {11, 12, 13, 24, 25, 26}, m23().add(col).toFloatArray());
        assertArrayEquals(
                new float[] {2, 4, 6, 5, 7, 9}, m23().add(Tensor.of(1f, 2f, 3f)).toFloatArray());
        assertEquals(
                "The size of tensor a (2) must match the size of tensor b (3) at non-singleton dimension 0",
                error(() -> Tensor.ones(2).add(Tensor.ones(3))));
    }

    @Test
    void arithmeticAndComparisons() {
        Tensor a = Tensor.of(1f, -2f, 3f);
        Tensor b = Tensor.of(2f, 2f, 2f);
        assertArrayEquals(new float[] {-1, -4, 1}, a.sub(b).toFloatArray());
        assertArrayEquals(new float[] {0.5f, -1, 1.5f}, a.div(b).toFloatArray());
        assertArrayEquals(new float[] {1, 4, 9}, a.pow(2.0).toFloatArray());
        assertArrayEquals(new float[] {2, 2, 3}, a.maximum(b).toFloatArray());
        assertArrayEquals(new float[] {1, 0, 3}, a.relu().toFloatArray());
        assertArrayEquals(new float[] {1, 1, 2}, a.clamp(1, 2).toFloatArray());
        assertArrayEquals(new boolean[] {true, true, false}, a.lt(b).toBooleanArray());
        assertArrayEquals(new boolean[] {false, false, true}, a.ge(3.0).toBooleanArray());
        assertArrayEquals(new float[] {2, 2, 3}, Tensor.where(a.gt(b), a, b).toFloatArray());
        assertEquals(DType.FLOAT32, Tensor.of(1, 2).div(Tensor.of(2, 2)).dtype());
        assertArrayEquals(new float[] {0.5f, 1}, Tensor.of(1, 2).div(2.0).toFloatArray());
        assertEquals(
                "Integers to negative integer powers are not allowed.",
                error(() -> Tensor.of(2L).pow(-1L)));
        assertArrayEquals(
                new long[] {0, -1, 1, 0},
                Tensor.of(2L, -1L, 1L, 0L).pow(Tensor.of(-1L, -3L, -2L, -1L)).toLongArray());
        assertArrayEquals(
                new boolean[] {true, true},
                Tensor.of(true, false).add(Tensor.of(true, true)).toBooleanArray());
        assertEquals(
                "Subtraction, the `-` operator, with two bool tensors is not supported. Use the `^` or "
                        + "`logical_xor()` operator instead.",
                error(() -> Tensor.scalar(true).sub(Tensor.scalar(false))));
        assertEquals(
                "Negation, the `-` operator, on a bool tensor is not supported. If you are trying to invert a "
                        + "mask, use the `~` or `logical_not()` operator instead.",
                error(() -> Tensor.of(true).neg()));
        assertArrayEquals(new float[] {1, 0.5f}, Tensor.of(1f, 4f).rsqrt().toFloatArray());
        assertEquals(DType.FLOAT32, Tensor.of(1L).exp().dtype());
    }

    @Test
    void inPlaceOperationsKeepTheTensorAndItsDtype() {
        Tensor x = Tensor.of(1f, 2f);
        assertSame(x, x.add_(Tensor.of(1f, 1f)).mul_(2.0).sub_(1.0).div_(3.0));
        assertArrayEquals(new float[] {1, 5f / 3}, x.toFloatArray(), 1e-6f);
        Tensor ints = Tensor.of(1, 2);
        ints.add_(3L);
        assertEquals(DType.INT32, ints.dtype());
        assertArrayEquals(new int[] {4, 5}, ints.toIntArray());
        assertEquals(
                "result type Float can't be cast to the desired output type Int",
                error(() -> Tensor.of(1, 2).add_(1.5)));
        assertEquals(
                "output with shape [3] doesn't match the broadcast shape [2, 3]",
                error(() -> Tensor.ones(3).add_(Tensor.ones(2, 3))));
        Tensor y = Tensor.zeros(2, 2);
        y.select(1, 1).fill_(5.0);
        assertArrayEquals(new float[] {0, 5, 0, 5}, y.toFloatArray());
        Tensor f32 = Tensor.zeros(2);
        f32.add_(Tensor.of(0.1, 0.2));
        assertEquals(DType.FLOAT32, f32.dtype());
        assertArrayEquals(new float[] {0.1f, 0.2f}, f32.toFloatArray());
    }

    @Test
    void copyCastsBroadcastsAndCrossesDevices() {
        Tensor dst = Tensor.zeros(2, 3);
        Tensor src = Tensor.of(1.5, 2.5, 3.5).to(ReferenceDevices.FAKE);
        assertSame(dst, dst.copy_(src));
        assertEquals(Device.CPU, dst.device());
        assertEquals(DType.FLOAT32, dst.dtype());
        assertArrayEquals(new float[] {1.5f, 2.5f, 3.5f, 1.5f, 2.5f, 3.5f}, dst.toFloatArray());
        Tensor ints = Tensor.zeros(new long[] {2}, DType.INT64, Device.CPU).copy_(Tensor.of(2.9f, -2.9f));
        assertArrayEquals(new long[] {2, -2}, ints.toLongArray());
        Tensor x = Tensor.arange(4).view(2, 2).to(DType.FLOAT32);
        x.copy_(x.t());
        assertArrayEquals(new float[] {0, 2, 1, 3}, x.toFloatArray());
    }

    @Test
    void reductions() {
        Tensor x = m23();
        assertEquals(21.0, x.sum().item());
        assertArrayEquals(new float[] {5, 7, 9}, x.sum(0, false).toFloatArray());
        assertArrayEquals(new long[] {2, 1}, x.sum(1, true).shape());
        assertArrayEquals(new float[] {2, 5}, x.mean(1, false).toFloatArray());
        assertEquals(3.5, x.mean().item());
        assertEquals(6.0, x.max().item());
        assertEquals(1.0, x.min().item());
        assertEquals(5, x.argmax().itemLong());
        assertArrayEquals(new long[] {2, 2}, x.argmax(1, false).toLongArray());
        assertArrayEquals(new float[] {4, 5, 6}, x.amax(new int[] {0}, false).toFloatArray());
        assertEquals(1.0, Tensor.of(1f, 2f, 3f).var().item(), 1e-7);
        assertArrayEquals(
                new float[] {1, 1},
                Tensor.of(1f, 2f, 3f, 4f)
                        .reshape(2, 2)
                        .var(new int[] {0}, false, false)
                        .toFloatArray());
        assertEquals(DType.INT64, Tensor.of(1, 2).sum().dtype());
        assertEquals(0.0, Tensor.zeros(0).sum().item());
        assertEquals(720.0, Tensor.of(1f, 2f, 3f, 4f, 5f, 6f).prod().item());
        assertEquals(
                "max(): Expected reduction dim to be specified for input.numel() == 0. Specify the reduction dim "
                        + "with the 'dim' argument.",
                error(() -> Tensor.zeros(0).max()));
        assertEquals(
                "mean(): could not infer output dtype. Input dtype must be either a floating point or complex "
                        + "dtype. Got: Long",
                error(() -> Tensor.of(1L, 2L).mean()));
        assertEquals(
                "dim 0 appears multiple times in the list of dims",
                error(() -> Tensor.ones(2, 3).sum(new int[] {0, 0}, false)));
        assertEquals(
                "only one element tensors can be converted to Java scalars",
                error(() -> Tensor.ones(1, 3).item()));
        Tensor sm = Tensor.of(1f, 2f, 3f).softmax(0);
        assertEquals(1.0, sm.sum().item(), 1e-6);
        assertArrayEquals(new float[] {0.09003057f, 0.24472848f, 0.66524094f}, sm.toFloatArray(), 1e-6f);
        assertArrayEquals(
                sm.log().toFloatArray(), Tensor.of(1f, 2f, 3f).logSoftmax(0).toFloatArray(), 1e-6f);
    }

    /** What PyTorch 1.13 gives: integer inputs refused by kernel name; a row holding +inf is NaN throughout. */
    @Test
    void softmaxesRefuseIntegersAndKeepPyTorchsInfinities() {
        assertEquals(
                "\"softmax_lastdim_kernel_impl\" not implemented for 'Long'",
                error(() -> Tensor.of(1L, 2L).softmax(0)));
        assertEquals(
                "\"log_softmax_lastdim_kernel_impl\" not implemented for 'Long'",
                error(() -> Tensor.of(1L, 2L).logSoftmax(0)));
        assertEquals(
                "\"softmax_kernel_impl\" not implemented for 'Long'",
                error(() -> Tensor.fromArray(new long[] {1, 2, 3, 4}, 2, 2).softmax(0)));
        float inf = Float.POSITIVE_INFINITY;
        assertArrayEquals(
                new float[] {Float.NaN, Float.NaN},
                Tensor.of(inf, 1f).logSoftmax(0).toFloatArray());
        assertArrayEquals(
                new float[] {Float.NaN, Float.NaN},
                Tensor.of(inf, 1f).softmax(0).toFloatArray());
        assertArrayEquals(
                new float[] {-inf, 0f}, Tensor.of(-inf, 1f).logSoftmax(0).toFloatArray());
        assertArrayEquals(
                new float[] {Float.NaN, Float.NaN},
                Tensor.of(-inf, -inf).logSoftmax(0).toFloatArray());
        assertArrayEquals(
                new float[] {Float.NaN, Float.NaN, -1.3132617f, -0.31326169f},
                Tensor.of(new float[][] {{inf, 1f}, {2f, 3f}})
                        .logSoftmax(1)
                        .reshape(4)
                        .toFloatArray(),
                1e-6f);
        assertEquals(inf, Tensor.of(inf, 1f).logsumexp(new int[] {0}, false).item());
        assertEquals(
                2.3132617, Tensor.of(1L, 2L).logsumexp(new int[] {0}, false).item(), 1e-6);
    }

    @Test
    void matrixProductsInEveryShape() {
        Tensor a = m23();
        Tensor b = Tensor.fromArray(new float[] {1, 0, 0, 1, 1, 1}, 3, 2);
        assertArrayEquals(new float[] {4, 5, 10, 11}, a.matmul(b).toFloatArray());
        assertArrayEquals(new float[] {14, 32}, a.matmul(Tensor.of(1f, 2f, 3f)).toFloatArray());
        assertArrayEquals(new float[] {9, 12, 15}, Tensor.of(1f, 2f).matmul(a).toFloatArray());
        assertEquals(14.0, Tensor.of(1f, 2f, 3f).matmul(Tensor.of(1f, 2f, 3f)).item());
        assertEquals(0, Tensor.of(1f, 2f, 3f).matmul(Tensor.of(1f, 2f, 3f)).dim());
        Tensor batch = Tensor.arange(12).view(2, 2, 3).to(DType.FLOAT32);
        Tensor out = batch.matmul(b);
        assertArrayEquals(new long[] {2, 2, 2}, out.shape());
        assertArrayEquals(batch.get(1).matmul(b).toFloatArray(), out.get(1).toFloatArray());
        assertArrayEquals(new float[] {14, 32, 32, 77}, a.matmul(a.t()).toFloatArray());
        assertEquals(
                "mat1 and mat2 shapes cannot be multiplied (2x3 and 4x5)",
                error(() -> Tensor.ones(2, 3).matmul(Tensor.ones(4, 5))));
        assertEquals(
                "expected scalar type Float but found Double",
                error(() -> Tensor.ones(2, 3).matmul(Tensor.ones(3, 2).to(DType.FLOAT64))));
        assertEquals(
                "Expected size for first two dimensions of batch2 tensor to be: [2, 4] but got: [2, 5].",
                error(() -> Tensor.ones(2, 3, 4).matmul(Tensor.ones(2, 5, 4))));
        assertArrayEquals(
                new float[] {0, 0, 0, 0},
                Tensor.zeros(2, 0).matmul(Tensor.zeros(0, 2)).toFloatArray());
        assertEquals(
                "matmul is not defined for bool tensors; convert them first, for instance with to(DType.INT64)",
                error(() -> Tensor.of(true, false).matmul(Tensor.of(true, true))));
    }

    @Test
    void movesAndDtypeConversions() {
        Tensor x = Tensor.of(1.25f, -2f);
        assertSame(x, x.to(Device.CPU));
        assertSame(x, x.to(DType.FLOAT32));
        Tensor f = x.to(ReferenceDevices.FAKE);
        assertNotSame(x, f);
        assertEquals(ReferenceDevices.FAKE, f.device());
        assertArrayEquals(new long[] {1, -2}, x.to(DType.INT64).toLongArray());
        assertArrayEquals(new boolean[] {true, true}, x.to(DType.BOOL).toBooleanArray());
        Tensor moved = Tensor.zeros(2);
        moved.setData(f);
        assertEquals(ReferenceDevices.FAKE, moved.device());
        assertEquals(
                "only Tensors of floating point dtype can require gradients",
                error(() -> Tensor.of(1L).requiresGrad_(true)));
        String unknown = error(() -> Tensor.ones(1).to("vulkan:0"));
        assertTrue(
                unknown.startsWith(
                        "device 'vulkan:0' is not available (no backend for device type 'vulkan' is installed); "
                                + "available devices: cpu, fake:0"),
                unknown);
    }

    @Test
    void equalityHelpers() {
        assertTrue(m23().equal(m23()));
        assertFalse(m23().equal(m23().t()));
        assertFalse(Tensor.of(Float.NaN).equal(Tensor.of(Float.NaN)));
        assertTrue(Tensor.of(1f).allclose(Tensor.of(1.0000001f), 1e-5, 1e-8));
        assertFalse(Tensor.of(1f).allclose(Tensor.of(1.1f), 1e-5, 1e-8));
    }
}
