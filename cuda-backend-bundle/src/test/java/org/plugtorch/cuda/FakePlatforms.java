package org.plugtorch.cuda;

import java.util.function.Supplier;

/** Platforms for starting the backend without a GPU: on a test driver, or failing the ways real machines fail. */
final class FakePlatforms {
    /** Small staging chunks, so that ordinary test sizes already cross chunk boundaries. */
    static final int SMALL_CHUNK_BYTES = 4096;

    private FakePlatforms() {}

    /** A platform whose runtime counts the driver's devices and whose driver is {@code driver}. */
    static CudaPlatform on(FakeCudaDriver driver) {
        return of(driver::deviceCount, () -> driver);
    }

    static CudaPlatform of(Supplier<Integer> runtimeCount, Supplier<CudaDriver> driver) {
        return new CudaPlatform() {
            @Override
            public int runtimeDeviceCount() {
                return runtimeCount.get();
            }

            @Override
            public CudaDriver openDriver() {
                return driver.get();
            }
        };
    }

    /** A backend on {@code driver} with small staging chunks and no garbage collection on out-of-memory. */
    static CudaBackend backend(FakeCudaDriver driver) {
        return new CudaBackend(on(driver), SMALL_CHUNK_BYTES, allocations -> {});
    }
}
