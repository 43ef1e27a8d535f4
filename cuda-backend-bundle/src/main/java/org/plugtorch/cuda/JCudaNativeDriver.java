package org.plugtorch.cuda;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import jcuda.Pointer;
import jcuda.driver.CUcontext;
import jcuda.driver.CUdevice;
import jcuda.driver.CUdevice_attribute;
import jcuda.driver.CUfunction;
import jcuda.driver.CUmodule;
import jcuda.driver.CUresult;
import jcuda.driver.JCudaDriver;

/**
 * {@link CudaDriver} over JCuda's binding of the CUDA driver API ({@code libcuda.so.1}). Constructing it runs
 * {@code cuInit}, which loads JCuda's driver library: only do so once the CUDA runtime has said a device exists
 * ({@link CudaStartup}), because without a driver that load fails with an {@link UnsatisfiedLinkError} and leaves
 * {@link JCudaDriver} unusable for the life of its class loader.
 */
final class JCudaNativeDriver implements CudaDriver {
    private static final class NativeContext implements Context {
        final CUcontext context;

        NativeContext(CUcontext context) {
            this.context = context;
        }
    }

    private static final class NativeModule implements Module {
        final CUmodule module;

        NativeModule(CUmodule module) {
            this.module = module;
        }
    }

    private static final class NativeKernel implements Kernel {
        final CUfunction function;

        NativeKernel(CUfunction function) {
            this.function = function;
        }
    }

    private static final class NativePinned implements PinnedMemory {
        final Pointer pointer;
        final ByteBuffer bytes;
        final long size;

        NativePinned(Pointer pointer, long size) {
            this.pointer = pointer;
            this.size = size;
            this.bytes = pointer.getByteBuffer(0, size);
        }

        @Override
        public ByteBuffer bytes() {
            return bytes.duplicate();
        }

        @Override
        public long size() {
            return size;
        }
    }

    JCudaNativeDriver() {
        JCudaDriver.setExceptionsEnabled(false); // every return code is checked here instead
        check("cuInit", JCudaDriver.cuInit(0));
    }

    private static void check(String call, int result) {
        if (result != CUresult.CUDA_SUCCESS) {
            throw new CudaException(call, result, CUresult.stringFor(result));
        }
    }

    private static CUdevice device(int ordinal) {
        CUdevice d = new CUdevice();
        check("cuDeviceGet", JCudaDriver.cuDeviceGet(d, ordinal));
        return d;
    }

    @Override
    public int driverVersion() {
        int[] v = {0};
        check("cuDriverGetVersion", JCudaDriver.cuDriverGetVersion(v));
        return v[0];
    }

    @Override
    public int deviceCount() {
        int[] n = {0};
        check("cuDeviceGetCount", JCudaDriver.cuDeviceGetCount(n));
        return n[0];
    }

    @Override
    public DeviceProperties properties(int ordinal) {
        CUdevice d = device(ordinal);
        byte[] name = new byte[256];
        check("cuDeviceGetName", JCudaDriver.cuDeviceGetName(name, name.length, d));
        int length = 0;
        while (length < name.length && name[length] != 0) {
            length++;
        }
        long[] memory = {0};
        check("cuDeviceTotalMem", JCudaDriver.cuDeviceTotalMem(memory, d));
        return new DeviceProperties(
                new String(name, 0, length, StandardCharsets.UTF_8),
                attribute(d, CUdevice_attribute.CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MAJOR),
                attribute(d, CUdevice_attribute.CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MINOR),
                memory[0],
                attribute(d, CUdevice_attribute.CU_DEVICE_ATTRIBUTE_MULTIPROCESSOR_COUNT));
    }

    private static int attribute(CUdevice d, int attribute) {
        int[] v = {0};
        check("cuDeviceGetAttribute", JCudaDriver.cuDeviceGetAttribute(v, attribute, d));
        return v[0];
    }

    @Override
    public Context retainPrimaryContext(int ordinal) {
        CUcontext c = new CUcontext();
        check("cuDevicePrimaryCtxRetain", JCudaDriver.cuDevicePrimaryCtxRetain(c, device(ordinal)));
        return new NativeContext(c);
    }

    @Override
    public void releasePrimaryContext(int ordinal) {
        check("cuDevicePrimaryCtxRelease", JCudaDriver.cuDevicePrimaryCtxRelease(device(ordinal)));
    }

    @Override
    public void setCurrent(Context context) {
        check("cuCtxSetCurrent", JCudaDriver.cuCtxSetCurrent(((NativeContext) context).context));
    }

    @Override
    public void synchronize() {
        check("cuCtxSynchronize", JCudaDriver.cuCtxSynchronize());
    }

    @Override
    public long[] memoryInfo() {
        long[] free = {0};
        long[] total = {0};
        check("cuMemGetInfo", JCudaDriver.cuMemGetInfo(free, total));
        return new long[] {free[0], total[0]};
    }

    @Override
    public long allocate(long bytes) {
        DeviceAddress p = new DeviceAddress();
        check("cuMemAlloc", JCudaDriver.cuMemAlloc(p, bytes));
        return p.value();
    }

    @Override
    public void free(long address) {
        check("cuMemFree", JCudaDriver.cuMemFree(DeviceAddress.at(address)));
    }

    @Override
    public void zero(long address, long bytes) {
        check("cuMemsetD8", JCudaDriver.cuMemsetD8(DeviceAddress.at(address), (byte) 0, bytes));
    }

    @Override
    public PinnedMemory allocatePinned(long bytes) {
        Pointer p = new Pointer();
        check("cuMemAllocHost", JCudaDriver.cuMemAllocHost(p, bytes));
        return new NativePinned(p, bytes);
    }

    @Override
    public void freePinned(PinnedMemory memory) {
        check("cuMemFreeHost", JCudaDriver.cuMemFreeHost(((NativePinned) memory).pointer));
    }

    @Override
    public void copyToDevice(long dst, PinnedMemory src, long srcOffset, long bytes) {
        Pointer from = ((NativePinned) src).pointer.withByteOffset(srcOffset);
        check("cuMemcpyHtoD", JCudaDriver.cuMemcpyHtoD(DeviceAddress.at(dst), from, bytes));
    }

    @Override
    public void copyToHost(PinnedMemory dst, long dstOffset, long src, long bytes) {
        Pointer to = ((NativePinned) dst).pointer.withByteOffset(dstOffset);
        check("cuMemcpyDtoH", JCudaDriver.cuMemcpyDtoH(to, DeviceAddress.at(src), bytes));
    }

    @Override
    public void copyOnDevice(long dst, long src, long bytes) {
        check("cuMemcpyDtoD", JCudaDriver.cuMemcpyDtoD(DeviceAddress.at(dst), DeviceAddress.at(src), bytes));
    }

    @Override
    public void copyPeer(long dst, Context dstContext, long src, Context srcContext, long bytes) {
        check(
                "cuMemcpyPeer",
                JCudaDriver.cuMemcpyPeer(
                        DeviceAddress.at(dst),
                        ((NativeContext) dstContext).context,
                        DeviceAddress.at(src),
                        ((NativeContext) srcContext).context,
                        bytes));
    }

    @Override
    public Module loadModule(String name, byte[] ptx) {
        CUmodule m = new CUmodule();
        check("cuModuleLoadData(" + name + ")", JCudaDriver.cuModuleLoadData(m, ptx));
        return new NativeModule(m);
    }

    @Override
    public void unloadModule(Module module) {
        check("cuModuleUnload", JCudaDriver.cuModuleUnload(((NativeModule) module).module));
    }

    @Override
    public Kernel kernel(Module module, String name) {
        CUfunction f = new CUfunction();
        check(
                "cuModuleGetFunction(" + name + ")",
                JCudaDriver.cuModuleGetFunction(f, ((NativeModule) module).module, name));
        return new NativeKernel(f);
    }

    @Override
    public void launch(Kernel kernel, int[] grid, int[] block, int sharedBytes, byte[][] params) {
        Pointer[] each = new Pointer[params.length];
        for (int i = 0; i < params.length; i++) {
            each[i] = Pointer.to(params[i]);
        }
        check(
                "cuLaunchKernel",
                JCudaDriver.cuLaunchKernel(
                        ((NativeKernel) kernel).function,
                        grid[0],
                        grid[1],
                        grid[2],
                        block[0],
                        block[1],
                        block[2],
                        sharedBytes,
                        null,
                        Pointer.to(each),
                        null));
    }
}
