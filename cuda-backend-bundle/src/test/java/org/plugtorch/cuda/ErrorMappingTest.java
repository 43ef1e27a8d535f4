package org.plugtorch.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.FloatBuffer;
import org.junit.jupiter.api.Test;
import org.plugtorch.DType;
import org.plugtorch.Device;
import org.plugtorch.spi.DeviceBuffer;
import org.plugtorch.spi.Operand;
import org.plugtorch.spi.UnaryOp;

/** A failing CUDA call surfaces as an exception naming the call and the error, wherever it happens. */
class ErrorMappingTest {
    private static final Device CUDA0 = Device.parse("cuda:0");

    @Test
    void aFailedCopyNamesTheCallAndTheError() {
        FakeCudaDriver driver = FakeCudaDriver.oneGpu(1 << 20);
        CudaBackend b = FakePlatforms.backend(driver);
        DeviceBuffer d = b.allocate(CUDA0, DType.FLOAT32, 4);
        driver.failNext("cuMemcpyHtoD", FakeCudaDriver.ILLEGAL_ADDRESS);
        CudaException e = assertThrows(CudaException.class, () -> b.copyIn(d, 0, FloatBuffer.allocate(4)));
        assertEquals("cuMemcpyHtoD failed: CUDA_ERROR_ILLEGAL_ADDRESS (700)", e.getMessage());
        assertEquals("cuMemcpyHtoD", e.call());
        assertEquals(700, e.code());
        b.copyIn(d, 0, FloatBuffer.wrap(new float[] {1, 2, 3, 4})); // the chunk went back to the pool, usable again
    }

    @Test
    void aFailedLaunchNamesCuLaunchKernel() {
        FakeCudaDriver driver = FakeCudaDriver.oneGpu(1 << 20);
        CudaBackend b = FakePlatforms.backend(driver);
        DeviceBuffer d = b.allocate(CUDA0, DType.FLOAT32, 4);
        driver.failNext("cuLaunchKernel", FakeCudaDriver.INVALID_VALUE);
        CudaException e = assertThrows(
                CudaException.class, () -> b.unary(UnaryOp.EXP, Operand.contiguous(d, 4), Operand.contiguous(d, 4)));
        assertEquals("cuLaunchKernel failed: CUDA_ERROR_INVALID_VALUE (1)", e.getMessage());
    }

    @Test
    void kernelsThatDoNotLoadNameTheModuleTheDeviceAndTheDriversAnswer() {
        FakeCudaDriver driver = FakeCudaDriver.oneGpu(1 << 20);
        CudaBackend b = FakePlatforms.backend(driver);
        DeviceBuffer d = b.allocate(CUDA0, DType.FLOAT32, 4);
        driver.failNext("cuModuleLoadData", 222);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> b.fill(Operand.contiguous(d, 4), 1));
        assertTrue(
                e.getMessage()
                        .startsWith("cannot load the elementwise kernels (PTX ISA 8.0 for sm_75 and later) on "
                                + "cuda:0: cuModuleLoadData failed: CUDA_ERROR_UNSUPPORTED_PTX_VERSION (222)"),
                e.getMessage());
        b.fill(Operand.contiguous(d, 4), 1); // a later call tries again
        assertEquals(2, driver.calls("cuModuleLoadData"));
    }

    @Test
    void anAsynchronousFailureSurfacesAtTheNextWaitingCall() {
        FakeCudaDriver driver = FakeCudaDriver.oneGpu(1 << 20);
        CudaBackend b = FakePlatforms.backend(driver);
        DeviceBuffer d = b.allocate(CUDA0, DType.FLOAT32, 4);
        driver.failNext("cuMemcpyDtoH", FakeCudaDriver.ILLEGAL_ADDRESS);
        CudaException e = assertThrows(CudaException.class, () -> b.copyOut(d, 0, FloatBuffer.allocate(4)));
        assertEquals("cuMemcpyDtoH", e.call());
        driver.failNext("cuCtxSynchronize", FakeCudaDriver.ILLEGAL_ADDRESS);
        CudaException sync = assertThrows(CudaException.class, () -> b.synchronize(CUDA0));
        assertEquals("cuCtxSynchronize failed: CUDA_ERROR_ILLEGAL_ADDRESS (700)", sync.getMessage());
    }

    @Test
    void operandsThatWouldReadOutsideTheirBufferNeverReachTheDevice() {
        FakeCudaDriver driver = FakeCudaDriver.oneGpu(1 << 20);
        CudaBackend b = FakePlatforms.backend(driver);
        DeviceBuffer d = b.allocate(CUDA0, DType.FLOAT32, 4);
        Operand tooLong = new Operand(d, 1, new long[] {4}, new long[] {1});
        IndexOutOfBoundsException e = assertThrows(
                IndexOutOfBoundsException.class, () -> b.unary(UnaryOp.NEG, Operand.contiguous(d, 4), tooLong));
        assertTrue(e.getMessage().contains("addresses elements 1 to 4, outside its buffer of 4"), e.getMessage());
        assertEquals(0, driver.calls("cuLaunchKernel"));
    }

    @Test
    void freedBuffersAndForeignDevicesAreRefused() {
        FakeCudaDriver driver = new FakeCudaDriver(
                13000, new FakeCudaDriver.Gpu("A", 9, 0, 1 << 20, 4), new FakeCudaDriver.Gpu("B", 9, 0, 1 << 20, 4));
        CudaBackend b = FakePlatforms.backend(driver);
        DeviceBuffer x = b.allocate(CUDA0, DType.FLOAT32, 4);
        DeviceBuffer y = b.allocate(Device.parse("cuda:1"), DType.FLOAT32, 4);
        IllegalArgumentException other = assertThrows(
                IllegalArgumentException.class,
                () -> b.binary(
                        org.plugtorch.spi.BinaryOp.ADD,
                        Operand.contiguous(x, 4),
                        Operand.contiguous(x, 4),
                        Operand.contiguous(y, 4)));
        assertTrue(other.getMessage().contains("is on cuda:1, not cuda:0"), other.getMessage());
        b.free(x);
        IllegalStateException freed =
                assertThrows(IllegalStateException.class, () -> b.fill(Operand.contiguous(x, 4), 0));
        assertTrue(freed.getMessage().contains("was freed"), freed.getMessage());
        CudaBackend another = FakePlatforms.backend(FakeCudaDriver.oneGpu(1 << 20));
        assertThrows(IllegalArgumentException.class, () -> another.free(y));
        assertSame(y, b.liveBuffers(Device.parse("cuda:1")).get(0));
    }
}
