package org.plugtorch.cuda;

import jcuda.driver.CUdeviceptr;

/**
 * A JCuda device pointer whose raw address can be read, so that the backend can do its own address arithmetic
 * and pass addresses to kernels as plain 64-bit parameters. JCuda keeps the address in a protected field; a
 * subclass may read it on its own instances, which is why {@code cuMemAlloc} is given one of these.
 */
final class DeviceAddress extends CUdeviceptr {
    /** The address this pointer holds (after {@code cuMemAlloc} filled it in). */
    long value() {
        return getNativePointer() + getByteOffset();
    }

    /** A JCuda pointer to {@code address}: JCuda adds a pointer's byte offset to its (here zero) base. */
    static CUdeviceptr at(long address) {
        return new CUdeviceptr().withByteOffset(address);
    }
}
