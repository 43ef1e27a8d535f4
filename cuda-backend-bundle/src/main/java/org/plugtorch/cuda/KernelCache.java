package org.plugtorch.cuda;

import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The kernels of one device: each PTX module is loaded into the device's context on first use (the driver compiles
 * PTX for the device then, and caches the result on disk), each function looked up once.
 */
final class KernelCache {
    private final CudaDriver driver;
    private final String device;
    private final Map<KernelModule, CudaDriver.Module> modules = new EnumMap<>(KernelModule.class);
    private final Map<String, CudaDriver.Kernel> kernels = new ConcurrentHashMap<>();

    KernelCache(CudaDriver driver, String device) {
        this.driver = driver;
        this.device = device;
    }

    /** The kernel {@code name} of {@code module}; the device's context is current. */
    CudaDriver.Kernel get(KernelModule module, String name) {
        CudaDriver.Kernel k = kernels.get(name);
        if (k == null) {
            synchronized (this) {
                k = kernels.get(name);
                if (k == null) {
                    k = driver.kernel(module(module), name);
                    kernels.put(name, k);
                }
            }
        }
        return k;
    }

    private CudaDriver.Module module(KernelModule module) {
        CudaDriver.Module m = modules.get(module);
        if (m == null) {
            try {
                m = driver.loadModule(module.fileName, PtxResources.ptx(module));
            } catch (CudaException e) {
                throw new IllegalStateException(
                        "cannot load the " + module.fileName + " kernels (PTX ISA 8.0 for sm_75 " + "and later) on "
                                + device + ": " + e.getMessage(),
                        e);
            }
            modules.put(module, m);
        }
        return m;
    }

    /** Unloads every module; the device's context is current. */
    synchronized void close() {
        kernels.clear();
        for (CudaDriver.Module m : modules.values()) {
            driver.unloadModule(m);
        }
        modules.clear();
    }
}
