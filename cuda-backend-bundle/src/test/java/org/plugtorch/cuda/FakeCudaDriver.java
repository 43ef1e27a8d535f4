package org.plugtorch.cuda;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * A CUDA driver with no GPU behind it, for the host logic's tests: device memory is byte arrays at made-up device
 * addresses, and a kernel launch is executed by {@link FakeKernels}, which decodes the parameters as the kernel's
 * source declares them and computes with the test kit's reference kernels. It keeps the rules a real driver enforces
 * and that the backend could break without noticing on a GPU-less machine:
 * <ul>
 * <li>memory, copy and launch calls need a current, live context, and may only touch memory of that context's device
 *     (copies between devices go through {@code cuMemcpyPeer});</li>
 * <li>addresses must lie inside a live allocation, and frees must name one; new memory is not zeroed;</li>
 * <li>modules must be NUL-terminated PTX; launches must name an entry of a module loaded in the current context, with
 *     parameters of the sizes the PTX declares and blocks within its {@code .maxntid};</li>
 * <li>released primary contexts take their memory with them.</li>
 * </ul>
 * Errors are injected per call ({@link #failNext}), and every call is counted.
 */
final class FakeCudaDriver implements CudaDriver {
    static final int INVALID_VALUE = 1;
    static final int INVALID_CONTEXT = 201;
    static final int INVALID_HANDLE = 400;
    static final int NOT_FOUND = 500;
    static final int ILLEGAL_ADDRESS = 700;
    static final int INVALID_PTX = 218;
    private static final long ALIGNMENT = 512;
    private static final byte UNINITIALISED = (byte) 0xA5;

    /** A fake GPU. */
    static final class Gpu {
        final String name;
        final int major;
        final int minor;
        final long memory;
        final int multiprocessors;

        Gpu(String name, int major, int minor, long memory, int multiprocessors) {
            this.name = name;
            this.major = major;
            this.minor = minor;
            this.memory = memory;
            this.multiprocessors = multiprocessors;
        }
    }

    /** One allocation's memory. */
    static final class Allocation {
        final int device;
        final long base;
        final byte[] bytes;

        Allocation(int device, long base, byte[] bytes) {
            this.device = device;
            this.base = base;
            this.bytes = bytes;
        }
    }

    private static final class FakeContext implements Context {
        final int device;
        boolean live = true;

        FakeContext(int device) {
            this.device = device;
        }
    }

    private static final class FakeModule implements Module {
        final FakeContext context;
        final String name;
        final Map<String, PtxSignatures.Entry> entries;
        boolean loaded = true;

        FakeModule(FakeContext context, String name, Map<String, PtxSignatures.Entry> entries) {
            this.context = context;
            this.name = name;
            this.entries = entries;
        }
    }

    private static final class FakeKernel implements Kernel {
        final FakeModule module;
        final PtxSignatures.Entry entry;

        FakeKernel(FakeModule module, PtxSignatures.Entry entry) {
            this.module = module;
            this.entry = entry;
        }
    }

    private static final class FakePinned implements PinnedMemory {
        final ByteBuffer bytes;

        FakePinned(long size) {
            bytes = ByteBuffer.allocateDirect((int) size);
        }

        @Override
        public ByteBuffer bytes() {
            return bytes.duplicate();
        }

        @Override
        public long size() {
            return bytes.capacity();
        }
    }

    /** What executes a launch once the driver has accepted it. */
    interface Executor {
        void execute(FakeCudaDriver driver, int device, String kernel, int[] grid, int[] block, byte[][] params);
    }

    /** A launch as the driver saw it. */
    static final class Launch {
        final int device;
        final String kernel;
        final int[] grid;
        final int[] block;
        final byte[][] params;

        Launch(int device, String kernel, int[] grid, int[] block, byte[][] params) {
            this.device = device;
            this.kernel = kernel;
            this.grid = grid;
            this.block = block;
            this.params = params;
        }
    }

    private final List<Gpu> gpus;
    private final int version;
    private final Executor executor;
    private final TreeMap<Long, Allocation> memory = new TreeMap<>();
    private final long[] used;
    private final long[] next;
    private final FakeContext[] primary;
    private final int[] retains;
    private final ThreadLocal<FakeContext> current = new ThreadLocal<>();
    private final Set<FakePinned> pinned = Collections.newSetFromMap(new java.util.IdentityHashMap<>());
    private final Map<String, Deque<Integer>> faults = new HashMap<>();
    private final Map<String, Integer> calls = new HashMap<>();
    private final List<Launch> launches = new ArrayList<>();
    private final Map<Thread, Integer> threadsThatFreed = new HashMap<>();

    /** A driver whose launches run on the test kit's reference kernels ({@link FakeKernels}). */
    FakeCudaDriver(int version, Gpu... gpus) {
        this(FakeKernels::execute, version, gpus);
    }

    /** A driver whose launches run on {@code executor}. */
    FakeCudaDriver(Executor executor, int version, Gpu... gpus) {
        this.executor = executor;
        this.gpus = List.of(gpus);
        this.version = version;
        this.used = new long[gpus.length];
        this.next = new long[gpus.length];
        this.primary = new FakeContext[gpus.length];
        this.retains = new int[gpus.length];
        for (int d = 0; d < gpus.length; d++) {
            next[d] = (d + 1L) << 40; // each device its own address range, so a wrong-device address is caught
        }
    }

    /** One H200-like device with {@code memory} bytes. */
    static FakeCudaDriver oneGpu(long memory) {
        return new FakeCudaDriver(13000, new Gpu("Fake H200", 9, 0, memory, 4));
    }

    // ---- test controls ----

    /** Makes the next call of {@code call} fail with {@code code}. */
    synchronized void failNext(String call, int code) {
        faults.computeIfAbsent(call, c -> new ArrayDeque<>()).add(code);
    }

    synchronized int calls(String call) {
        return calls.getOrDefault(call, 0);
    }

    synchronized List<Launch> launches() {
        return new ArrayList<>(launches);
    }

    synchronized void clearLaunches() {
        launches.clear();
    }

    synchronized long usedBytes(int device) {
        return used[device];
    }

    synchronized int liveAllocations(int device) {
        return (int) memory.values().stream().filter(a -> a.device == device).count();
    }

    synchronized int livePinned() {
        return pinned.size();
    }

    synchronized int retainCount(int device) {
        return retains[device];
    }

    /** Threads that called cuMemFree, and how often. */
    synchronized Map<Thread, Integer> threadsThatFreed() {
        return new HashMap<>(threadsThatFreed);
    }

    /** The bytes at a device address, for tests that look at device memory directly. */
    synchronized byte[] read(long address, int length) {
        Allocation a = allocationAt(address, length, "test read");
        int from = (int) (address - a.base);
        return Arrays.copyOfRange(a.bytes, from, from + length);
    }

    // ---- bookkeeping ----

    private void enter(String call) {
        calls.merge(call, 1, Integer::sum);
        Deque<Integer> f = faults.get(call);
        if (f != null && !f.isEmpty()) {
            int code = f.poll();
            throw error(call, code);
        }
    }

    static CudaException error(String call, int code) {
        return new CudaException(call, code, name(code));
    }

    static String name(int code) {
        switch (code) {
            case INVALID_VALUE:
                return "CUDA_ERROR_INVALID_VALUE";
            case CudaException.OUT_OF_MEMORY:
                return "CUDA_ERROR_OUT_OF_MEMORY";
            case INVALID_CONTEXT:
                return "CUDA_ERROR_INVALID_CONTEXT";
            case INVALID_PTX:
                return "CUDA_ERROR_INVALID_PTX";
            case INVALID_HANDLE:
                return "CUDA_ERROR_INVALID_HANDLE";
            case NOT_FOUND:
                return "CUDA_ERROR_NOT_FOUND";
            case ILLEGAL_ADDRESS:
                return "CUDA_ERROR_ILLEGAL_ADDRESS";
            case 222:
                return "CUDA_ERROR_UNSUPPORTED_PTX_VERSION";
            default:
                return "CUDA_ERROR_" + code;
        }
    }

    private FakeContext context(String call) {
        FakeContext c = current.get();
        if (c == null || !c.live) {
            throw error(call, INVALID_CONTEXT);
        }
        return c;
    }

    private void checkDevice(int device) {
        if (device < 0 || device >= gpus.size()) {
            throw error("cuDeviceGet", INVALID_VALUE);
        }
    }

    /** The live allocation of {@code device} that holds {@code address}, or null. */
    Allocation allocationHolding(int device, long address) {
        Map.Entry<Long, Allocation> e = memory.floorEntry(address);
        if (e == null || address >= e.getKey() + e.getValue().bytes.length || e.getValue().device != device) {
            return null;
        }
        return e.getValue();
    }

    /** The live allocation holding {@code [address, address + length)}. */
    Allocation allocationAt(long address, long length, String call) {
        Map.Entry<Long, Allocation> e = memory.floorEntry(address);
        if (e == null || address + length > e.getKey() + e.getValue().bytes.length || length < 0) {
            throw error(call, call.equals("cuLaunchKernel") ? ILLEGAL_ADDRESS : INVALID_VALUE);
        }
        return e.getValue();
    }

    private Allocation inContext(long address, long length, String call, FakeContext c) {
        Allocation a = allocationAt(address, length, call);
        if (a.device != c.device) {
            throw error(call, call.equals("cuLaunchKernel") ? ILLEGAL_ADDRESS : INVALID_VALUE);
        }
        return a;
    }

    // ---- the driver API ----

    @Override
    public synchronized int driverVersion() {
        enter("cuDriverGetVersion");
        return version;
    }

    @Override
    public synchronized int deviceCount() {
        enter("cuDeviceGetCount");
        return gpus.size();
    }

    @Override
    public synchronized DeviceProperties properties(int ordinal) {
        enter("cuDeviceGetName");
        checkDevice(ordinal);
        Gpu g = gpus.get(ordinal);
        return new DeviceProperties(g.name, g.major, g.minor, g.memory, g.multiprocessors);
    }

    @Override
    public synchronized Context retainPrimaryContext(int ordinal) {
        enter("cuDevicePrimaryCtxRetain");
        checkDevice(ordinal);
        if (primary[ordinal] == null) {
            primary[ordinal] = new FakeContext(ordinal);
        }
        retains[ordinal]++;
        return primary[ordinal];
    }

    @Override
    public synchronized void releasePrimaryContext(int ordinal) {
        enter("cuDevicePrimaryCtxRelease");
        checkDevice(ordinal);
        if (retains[ordinal] == 0) {
            throw error("cuDevicePrimaryCtxRelease", INVALID_CONTEXT);
        }
        if (--retains[ordinal] == 0) {
            primary[ordinal].live = false;
            primary[ordinal] = null;
            memory.values().removeIf(a -> a.device == ordinal);
            used[ordinal] = 0;
        }
    }

    @Override
    public synchronized void setCurrent(Context context) {
        enter("cuCtxSetCurrent");
        FakeContext c = (FakeContext) context;
        if (!c.live) {
            throw error("cuCtxSetCurrent", INVALID_CONTEXT);
        }
        current.set(c);
    }

    @Override
    public synchronized void synchronize() {
        enter("cuCtxSynchronize");
        context("cuCtxSynchronize");
    }

    @Override
    public synchronized long[] memoryInfo() {
        enter("cuMemGetInfo");
        FakeContext c = context("cuMemGetInfo");
        long total = gpus.get(c.device).memory;
        return new long[] {total - used[c.device], total};
    }

    @Override
    public synchronized long allocate(long bytes) {
        enter("cuMemAlloc");
        FakeContext c = context("cuMemAlloc");
        if (bytes <= 0) {
            throw error("cuMemAlloc", INVALID_VALUE);
        }
        if (used[c.device] + bytes > gpus.get(c.device).memory || bytes > Integer.MAX_VALUE) {
            throw error("cuMemAlloc", CudaException.OUT_OF_MEMORY);
        }
        long base = next[c.device];
        next[c.device] += (bytes + ALIGNMENT - 1) / ALIGNMENT * ALIGNMENT;
        byte[] b = new byte[(int) bytes];
        Arrays.fill(b, UNINITIALISED);
        memory.put(base, new Allocation(c.device, base, b));
        used[c.device] += bytes;
        return base;
    }

    @Override
    public synchronized void free(long address) {
        enter("cuMemFree");
        FakeContext c = context("cuMemFree");
        Allocation a = memory.get(address);
        if (a == null || a.device != c.device) {
            throw error("cuMemFree", INVALID_VALUE);
        }
        memory.remove(address);
        used[c.device] -= a.bytes.length;
        threadsThatFreed.merge(Thread.currentThread(), 1, Integer::sum);
    }

    @Override
    public synchronized void zero(long address, long bytes) {
        enter("cuMemsetD8");
        Allocation a = inContext(address, bytes, "cuMemsetD8", context("cuMemsetD8"));
        int from = (int) (address - a.base);
        Arrays.fill(a.bytes, from, from + (int) bytes, (byte) 0);
    }

    @Override
    public synchronized PinnedMemory allocatePinned(long bytes) {
        enter("cuMemAllocHost");
        context("cuMemAllocHost");
        FakePinned p = new FakePinned(bytes);
        pinned.add(p);
        return p;
    }

    @Override
    public synchronized void freePinned(PinnedMemory m) {
        enter("cuMemFreeHost");
        if (!pinned.remove(m)) {
            throw error("cuMemFreeHost", INVALID_VALUE);
        }
    }

    private FakePinned pinned(PinnedMemory m, long offset, long bytes, String call) {
        if (!pinned.contains(m) || offset < 0 || offset + bytes > m.size()) {
            throw error(call, INVALID_VALUE);
        }
        return (FakePinned) m;
    }

    @Override
    public synchronized void copyToDevice(long dst, PinnedMemory src, long srcOffset, long bytes) {
        enter("cuMemcpyHtoD");
        Allocation a = inContext(dst, bytes, "cuMemcpyHtoD", context("cuMemcpyHtoD"));
        ByteBuffer from = pinned(src, srcOffset, bytes, "cuMemcpyHtoD").bytes();
        from.position((int) srcOffset);
        from.get(a.bytes, (int) (dst - a.base), (int) bytes);
    }

    @Override
    public synchronized void copyToHost(PinnedMemory dst, long dstOffset, long src, long bytes) {
        enter("cuMemcpyDtoH");
        Allocation a = inContext(src, bytes, "cuMemcpyDtoH", context("cuMemcpyDtoH"));
        ByteBuffer to = pinned(dst, dstOffset, bytes, "cuMemcpyDtoH").bytes();
        to.position((int) dstOffset);
        to.put(a.bytes, (int) (src - a.base), (int) bytes);
    }

    @Override
    public synchronized void copyOnDevice(long dst, long src, long bytes) {
        enter("cuMemcpyDtoD");
        FakeContext c = context("cuMemcpyDtoD");
        Allocation to = inContext(dst, bytes, "cuMemcpyDtoD", c);
        Allocation from = inContext(src, bytes, "cuMemcpyDtoD", c);
        System.arraycopy(from.bytes, (int) (src - from.base), to.bytes, (int) (dst - to.base), (int) bytes);
    }

    @Override
    public synchronized void copyPeer(long dst, Context dstContext, long src, Context srcContext, long bytes) {
        enter("cuMemcpyPeer");
        FakeContext dc = (FakeContext) dstContext;
        FakeContext sc = (FakeContext) srcContext;
        if (!dc.live || !sc.live) {
            throw error("cuMemcpyPeer", INVALID_CONTEXT);
        }
        Allocation to = inContext(dst, bytes, "cuMemcpyPeer", dc);
        Allocation from = inContext(src, bytes, "cuMemcpyPeer", sc);
        System.arraycopy(from.bytes, (int) (src - from.base), to.bytes, (int) (dst - to.base), (int) bytes);
    }

    @Override
    public synchronized Module loadModule(String name, byte[] ptx) {
        enter("cuModuleLoadData");
        FakeContext c = context("cuModuleLoadData");
        if (ptx.length == 0 || ptx[ptx.length - 1] != 0) {
            throw error("cuModuleLoadData", INVALID_PTX); // the driver reads PTX as a C string
        }
        String text = new String(ptx, 0, ptx.length - 1, StandardCharsets.UTF_8);
        Map<String, PtxSignatures.Entry> entries = PtxSignatures.parse(text);
        if (entries.isEmpty()) {
            throw error("cuModuleLoadData", INVALID_PTX);
        }
        return new FakeModule(c, name, entries);
    }

    @Override
    public synchronized void unloadModule(Module module) {
        enter("cuModuleUnload");
        FakeModule m = (FakeModule) module;
        if (!m.loaded) {
            throw error("cuModuleUnload", INVALID_HANDLE);
        }
        m.loaded = false;
    }

    @Override
    public synchronized Kernel kernel(Module module, String name) {
        enter("cuModuleGetFunction");
        FakeModule m = (FakeModule) module;
        PtxSignatures.Entry e = m.entries.get(name);
        if (!m.loaded || e == null) {
            throw error("cuModuleGetFunction", NOT_FOUND);
        }
        return new FakeKernel(m, e);
    }

    @Override
    public synchronized void launch(Kernel kernel, int[] grid, int[] block, int sharedBytes, byte[][] params) {
        enter("cuLaunchKernel");
        FakeContext c = context("cuLaunchKernel");
        FakeKernel k = (FakeKernel) kernel;
        if (!k.module.loaded || k.module.context != c) {
            throw error("cuLaunchKernel", INVALID_HANDLE);
        }
        long threads = (long) block[0] * block[1] * block[2];
        if (grid[0] < 1
                || grid[1] < 1
                || grid[2] < 1
                || grid[1] > 65535
                || grid[2] > 65535
                || threads < 1
                || threads > k.entry.maxThreads) {
            throw error("cuLaunchKernel", INVALID_VALUE);
        }
        if (params.length != k.entry.paramBytes.size()) {
            throw error("cuLaunchKernel", INVALID_VALUE);
        }
        for (int i = 0; i < params.length; i++) {
            if (params[i].length != k.entry.paramBytes.get(i)) {
                throw error("cuLaunchKernel", INVALID_VALUE);
            }
        }
        launches.add(new Launch(c.device, k.entry.name, grid.clone(), block.clone(), params));
        executor.execute(this, c.device, k.entry.name, grid, block, params);
    }
}
