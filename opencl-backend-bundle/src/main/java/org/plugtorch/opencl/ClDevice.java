package org.plugtorch.opencl;

import static org.plugtorch.opencl.ProgramCodes.STAGE_IN;
import static org.plugtorch.opencl.ProgramCodes.STAGE_OUT;
import static org.plugtorch.opencl.ProgramCodes.WORK;
import static org.plugtorch.spi.Preconditions.checkArgument;
import static org.plugtorch.spi.Preconditions.checkState;

import com.aparapi.Range;
import com.aparapi.device.OpenCLDevice;
import com.aparapi.exception.CompileFailedException;
import com.aparapi.exception.QueryFailedException;
import com.aparapi.internal.kernel.KernelManager;
import com.aparapi.internal.kernel.KernelPreferences;
import java.nio.Buffer;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import org.plugtorch.DType;
import org.plugtorch.Device;
import org.plugtorch.spi.DeviceInfo;
import org.plugtorch.spi.HostBuffer;

/**
 * One OpenCL device: its compiled {@link DeviceProgram}, the arenas that hold its tensors, and the only way anything
 * reaches it. Every call takes the device's lock, because a launch is "write the program's fields, then execute", and
 * the fields are shared by every tensor on the device.
 *
 * <p>Memory (see {@code docs/opencl.md}): one arena per dtype, a Java array bound for good to a field of the program,
 * sub-allocated by a {@link RangeAllocator}. Tensor data crosses the host boundary only in {@link #copyIn} and
 * {@link #copyOut}; ops between tensors never cross it. An arena that is full grows by reading the old one back and
 * binding a bigger array (a counted round trip), so every offset stays valid.
 *
 * <p>Transfers take one of two paths per arena. Where the device computes on the arena's Java array in place (PoCL's
 * CPU device: its memory is host memory), proven by {@link SharedMemoryProbe} on that very array when it is bound, a
 * transfer is one plain copy between the caller's buffer and the arena, with no launch. Elsewhere (a GPU) it goes
 * through a stage array of exactly the transfer's size and a STAGE_IN or STAGE_OUT launch. {@link #info()} says which.
 */
final class ClDevice {
    /** An arena never starts smaller (bytes): growth is a round trip, so it should be rare. */
    private static final long MIN_ARENA_BYTES = 4L << 20;
    /** Largest Java array the JVMs in use allocate, rounded to the allocator's alignment. */
    private static final long MAX_ARRAY =
            (Integer.MAX_VALUE - 64) / RangeAllocator.ALIGNMENT * RangeAllocator.ALIGNMENT;
    /**
     * Largest buffer Aparapi can create, in bytes: aparapi-jni 1.4.3 holds a buffer's size in bytes in a 32-bit int, so
     * a bigger one reaches clCreateBuffer as a negative size (CL_INVALID_BUFFER_SIZE) and Aparapi then gives up on the
     * device for good (issue 12: a 1 GiB tensor next to others made every later op fail).
     */
    static final long APARAPI_MAX_BYTES = Integer.MAX_VALUE;
    /** {@link #APARAPI_MAX_BYTES}, which tests raise to reach a buffer the device refuses at run time. */
    static volatile long aparapiMaxBytes = APARAPI_MAX_BYTES;
    /** Largest transfer staged at once (elements): bounds the extra host memory of a big copy. */
    private static final int CHUNK = 1 << 24;
    /** The dtypes by their {@link ProgramCodes} number. */
    private static final DType[] DTYPES = {DType.FLOAT32, DType.FLOAT64, DType.INT64, DType.INT32, DType.BOOL};
    /**
     * Largest work-group asked for (the device's limit for the program may be lower). PoCL's CPU device runs each
     * work-group as one loop over its work-items, so large groups amortise its per-group cost; a GPU's limit for this
     * program is lower and wins.
     */
    private static final int WORK_GROUP = 4096;
    /**
     * Set to {@code true} to stage every transfer through a launch even where the device shares host memory: how the
     * tests run the path a GPU takes on PoCL. The device reports it.
     */
    static final String FORCE_STAGED = "plugtorch.opencl.stagedTransfers";

    private final Device device;
    private final OpenCLDevice cl;
    private final String label;
    private final DeviceProgram program;
    private final LaunchGuard guard;
    private final TransferCounter counter = new TransferCounter();
    private final RangeAllocator[] allocators = new RangeAllocator[5];
    private final int workGroup;
    private final Object lock = new Object();
    /** Per dtype code: the bound arena is used in place by the device (verified), so transfers copy directly. */
    private final boolean[] shared = new boolean[5];
    /** The probe's verdict at start, for {@link #info()}: null when the device shares host memory, else why not. */
    private String notShared = "not probed";

    private boolean forceStaged;
    private boolean closed;

    private ClDevice(Device device, OpenCLDevice cl, DeviceProgram program, LaunchGuard guard, int workGroup) {
        this.device = device;
        this.cl = cl;
        this.label = device + " (" + cl.getName() + ")";
        this.program = program;
        this.guard = guard;
        this.workGroup = workGroup;
        for (int d = 0; d < allocators.length; d++) {
            allocators[d] = new RangeAllocator(ProgramFields.length(ProgramFields.arena(program, d)));
        }
    }

    /**
     * Compiles the program for {@code cl} (the slow step: Aparapi translates the bytecode, the OpenCL compiler builds
     * it) and launches it once empty, which proves it runs on the device and binds its buffers.
     */
    static ClDevice start(Device device, OpenCLDevice cl, AparapiLog log)
            throws CompileFailedException, QueryFailedException {
        DeviceProgram program = new DeviceProgram(cl);
        program.setExplicit(true);
        program.compile(cl);
        int limit = Math.min(Math.min(WORK_GROUP, program.getKernelMaxWorkGroupSize(cl)), cl.getMaxWorkItemSize()[0]);
        int workGroup = Integer.highestOneBit(Math.max(1, limit));
        ClDevice d =
                new ClDevice(device, cl, program, new LaunchGuard(device + " (" + cl.getName() + ")", log), workGroup);
        // If this throws, the program is dropped, not disposed: Aparapi's native dispose of a program that was
        // compiled but never launched reads arguments that were never set up and crashes the JVM (aparapi-jni 1.4.3).
        d.launch(new int[] {0, 0, 0}, "the program's first launch");
        d.probeAtStart();
        return d;
    }

    /**
     * Probes a small array bound to the float32 arena's field, before any tensor lives there, so that {@link #info()}
     * can say from the start which transfer path the device takes; every real arena is probed again when it is bound.
     */
    private void probeAtStart() {
        if (Boolean.getBoolean(FORCE_STAGED)) {
            forceStaged = true;
            notShared = "forced by -D" + FORCE_STAGED + "=true";
            return;
        }
        int code = ProgramCodes.F32;
        Object probe = ProgramFields.newArray(code, 2 * SharedMemoryProbe.ELEMENTS);
        ProgramFields.bindArena(program, code, probe);
        try {
            notShared = SharedMemoryProbe.check(program, code, probe, 0, this::launch);
        } finally {
            ProgramFields.bindArena(program, code, ProgramFields.newArray(code, 1));
        }
    }

    Device device() {
        return device;
    }

    DeviceInfo info() {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("vendor", cl.getOpenCLPlatform().getVendor());
        p.put("type", cl.getType().toString());
        p.put(
                "platform",
                cl.getOpenCLPlatform().getName() + " (" + cl.getOpenCLPlatform().getVersion() + ")");
        p.put("compute units", Integer.toString(cl.getMaxComputeUnits()));
        p.put("max allocation", cl.getMaxMemAllocSize() + " bytes");
        p.put("local memory", cl.getLocalMemSize() + " bytes");
        p.put("work-group", Integer.toString(workGroup));
        p.put(
                "transfers",
                notShared == null
                        ? "direct: the device computes on the arenas' Java arrays in place (probed at start and whenever an "
                                + "arena is bound), so a transfer is one host copy"
                        : "staged through a launch: the device does not share the arenas' host memory (" + notShared
                                + ")");
        p.put(
                "kernels",
                "Aparapi " + com.aparapi.Kernel.class.getPackage().getImplementationVersion()
                        + ", one program, arenas per dtype");
        return new DeviceInfo(device, cl.getName(), cl.getGlobalMemSize(), p);
    }

    TransferStats transfers() {
        return counter.snapshot();
    }

    // ---- memory ----

    ClBuffer allocate(DType dtype, long size) {
        int code = ProgramCodes.dtype(dtype);
        if (size < 0 || RangeAllocator.footprint(size) > maxElements(code)) {
            throw outOfMemory(
                    dtype,
                    size,
                    "the largest " + dtype.torchName() + " arena this device can hold is " + maxElements(code)
                            + " elements (" + arenaLimit(code) + ")");
        }
        if (size == 0) {
            return new ClBuffer(device, dtype, 0, 0);
        }
        synchronized (lock) {
            ensureOpen();
            RangeAllocator a = allocators[code];
            RangeAllocator.Grant grant = a.allocate(size);
            if (grant == null) {
                grow(dtype, code, a.capacityFor(size), size);
                grant = a.allocate(size);
            }
            ClBuffer b = new ClBuffer(device, dtype, size, grant.offset);
            // A reused range is zeroed when the buffer is first used, unless a copyIn overwrites all of it first (a
            // move to the device): zeroing it here would cost as much again as the move itself.
            b.zeroPending = grant.dirty;
            return b;
        }
    }

    /** Zeroes {@code b} now if its zeroing was deferred at allocation; every use of a buffer's contents calls this. */
    void settle(ClBuffer b) {
        if (b.zeroPending) {
            synchronized (lock) {
                ensureOpen();
                zeroPending(b);
            }
        }
    }

    /** Caller holds the lock. */
    private void zeroPending(ClBuffer b) {
        if (!b.zeroPending) {
            return;
        }
        int code = ProgramCodes.dtype(b.dtype());
        zeroRange(
                code,
                b.arenaOffset,
                b.size(),
                "zero-filling a reused " + b.dtype().torchName() + " buffer");
        b.zeroPending = false;
    }

    /** Zeroes arena elements on the device: in place where it shares the arena's memory, else by a FILL launch. */
    private void zeroRange(int code, int from, long count, String what) {
        if (shared[code]) {
            clearHost(code, from, (int) count);
        } else {
            program.fillFloating = 0;
            program.fillIntegral = 0;
            launch(Plans.zero(code, from, count), what);
        }
    }

    private void clearHost(int code, int from, int count) {
        Object arena = ProgramFields.arena(program, code);
        switch (code) {
            case ProgramCodes.F32:
                Arrays.fill((float[]) arena, from, from + count, 0f);
                break;
            case ProgramCodes.F64:
                Arrays.fill((double[]) arena, from, from + count, 0d);
                break;
            case ProgramCodes.I64:
                Arrays.fill((long[]) arena, from, from + count, 0L);
                break;
            case ProgramCodes.I32:
                Arrays.fill((int[]) arena, from, from + count, 0);
                break;
            default:
                Arrays.fill((byte[]) arena, from, from + count, (byte) 0);
        }
    }

    void free(ClBuffer b) {
        if (b.size() == 0) {
            return;
        }
        synchronized (lock) {
            checkState(!b.freed, () -> b + " freed twice");
            b.freed = true;
            if (!closed) {
                allocators[ProgramCodes.dtype(b.dtype())].free(b.arenaOffset, b.size());
            }
        }
    }

    /** The most elements one arena of dtype {@code code} can hold: the device's, Aparapi's and Java's limits. */
    private long maxElements(int code) {
        long bytes = DTYPES[code].byteSize();
        long limit = Math.min(cl.getMaxMemAllocSize(), aparapiMaxBytes);
        return Math.min(MAX_ARRAY, limit / bytes / RangeAllocator.ALIGNMENT * RangeAllocator.ALIGNMENT);
    }

    private String arenaLimit(int code) {
        return "one buffer holds at most " + Math.min(cl.getMaxMemAllocSize(), aparapiMaxBytes) + " bytes: "
                + "the device's CL_DEVICE_MAX_MEM_ALLOC_SIZE is " + cl.getMaxMemAllocSize() + " bytes, Aparapi's "
                + "limit " + aparapiMaxBytes + " bytes, a Java array's " + MAX_ARRAY + " elements of "
                + DTYPES[code].byteSize() + " bytes";
    }

    /** Bytes held by every arena but {@code code}'s: all of them are device memory at once. */
    private long otherArenaBytes(int code) {
        long total = 0;
        for (int d = 0; d < allocators.length; d++) {
            if (d != code) {
                total += allocators[d].capacity() * DTYPES[d].byteSize();
            }
        }
        return total;
    }

    /**
     * Binds a bigger array to the arena's field. Aparapi creates a field's device buffer from the array whenever the
     * field holds a new one, so the live part of the old arena is read back first, copied into the new array, and
     * travels to the device with it: a round trip of the whole arena, counted.
     */
    private void grow(DType dtype, int code, long needed, long size) {
        RangeAllocator a = allocators[code];
        long bytes = dtype.byteSize();
        long max = maxElements(code);
        if (needed > max) {
            throw outOfMemory(
                    dtype,
                    size,
                    "the " + dtype.torchName() + " arena would need " + needed + " elements ("
                            + a.inUse() + " in use, " + a.used() + " below its high-water mark), more than the "
                            + max + " it can hold (" + arenaLimit(code) + ")");
        }
        long global = cl.getGlobalMemSize();
        long others = otherArenaBytes(code);
        if (global > 0 && others + needed * bytes > global) {
            throw outOfMemory(
                    dtype,
                    size,
                    "the " + dtype.torchName() + " arena would need " + needed * bytes
                            + " bytes and the other arenas hold " + others
                            + ", more than the device's global memory of "
                            + global + " bytes");
        }
        long target = Math.min(max, Math.max(needed, Math.max(2 * a.capacity(), MIN_ARENA_BYTES / bytes)));
        if (global > 0 && others + target * bytes > global) {
            target = Math.max(needed, (global - others) / bytes / RangeAllocator.ALIGNMENT * RangeAllocator.ALIGNMENT);
        }
        Object bigger;
        try {
            bigger = ProgramFields.newArray(code, (int) target);
        } catch (OutOfMemoryError doubled) {
            try {
                target = needed; // the heap cannot double the arena: grow it just enough
                bigger = ProgramFields.newArray(code, (int) target);
            } catch (OutOfMemoryError e) {
                throw outOfMemory(
                        dtype,
                        size,
                        "the Java heap cannot hold a host array of " + target
                                + " elements for the arena (every arena is also a Java array: raise -Xmx)");
            }
        }
        Object old = ProgramFields.arena(program, code);
        if (a.used() > 0) {
            // an empty launch first: Aparapi re-pins the array and re-creates its buffer if the GC moved it
            launch(new int[] {0, 0, 0}, "re-pinning the " + dtype.torchName() + " arena");
            guard.requireOnDevice(program, cl, "reading back the " + dtype.torchName() + " arena", "before read-back");
            ProgramFields.get(program, old);
            System.arraycopy(old, 0, bigger, 0, (int) a.used());
            counter.arenaRoundTrip((ProgramFields.length(old) + target) * dtype.byteSize());
        }
        ProgramFields.bindArena(program, code, bigger);
        try {
            launch(new int[] {0, 0, 0}, "binding the grown " + dtype.torchName() + " arena");
        } catch (IllegalStateException e) {
            // the device refused the bigger buffer after all (its memory as it stands now): the old arena goes back to
            // the field and to the device, which Aparapi is told to use again, and the request fails, alone
            ProgramFields.bindArena(program, code, old);
            revive();
            launch(new int[] {0, 0, 0}, "binding the " + dtype.torchName() + " arena again after a failed growth");
            throw outOfMemory(
                    dtype,
                    size,
                    "the device could not create a buffer of " + target * bytes + " bytes for " + "the grown "
                            + dtype.torchName() + " arena (" + e.getMessage() + "); the device keeps working");
        }
        a.grow(target);
        probeArena(dtype, code, bigger, a.used(), target);
    }

    /**
     * Makes Aparapi use this device again after a failed launch: it moves the device from the preferred devices of the
     * program's class to the failed ones, and would never try it again. Putting the failed devices back in front (the
     * OpenCL devices came before Aparapi's Java fallbacks) clears the mark.
     */
    private void revive() {
        KernelPreferences preferences = KernelManager.instance().getPreferences(program);
        LinkedHashSet<com.aparapi.device.Device> devices = new LinkedHashSet<>(preferences.getFailedDevices());
        devices.addAll(preferences.getPreferredDevices(null));
        KernelManager.instance().setPreferredDevices(program, devices);
    }

    /**
     * Decides the arena's transfer path on the array just bound, with the probe in its top, unused elements (zeroed
     * again on both sides afterwards, as the allocator expects of space above its mark). An arena too full to probe
     * keeps the path proven on its predecessor.
     */
    private void probeArena(DType dtype, int code, Object arena, long used, long capacity) {
        int span = 2 * SharedMemoryProbe.ELEMENTS;
        if (forceStaged || capacity - used < span) {
            return;
        }
        int at = (int) (capacity - span);
        String why = SharedMemoryProbe.check(program, code, arena, at, this::launch);
        shared[code] = why == null;
        clearHost(code, at, span);
        if (why != null) {
            zeroRange(code, at, span, "clearing the memory probe");
            if (notShared == null) {
                System.getLogger(ClDevice.class.getName())
                        .log(
                                System.Logger.Level.WARNING,
                                label + ": the "
                                        + dtype.torchName()
                                        + " arena's transfers are staged through launches although the start probe "
                                        + "found shared memory: " + why);
            }
        }
    }

    private IllegalStateException outOfMemory(DType dtype, long size, String why) {
        return new IllegalStateException("out of memory on device '" + device + "' (" + cl.getName() + ") allocating "
                + size + " elements of " + dtype + " (" + size * dtype.byteSize() + " bytes): " + why);
    }

    // ---- transfers ----

    void copyIn(ClBuffer dst, long offset, Buffer src) {
        long count = src.remaining();
        checkTransfer(dst, offset, count, src, "copyIn");
        if (count == 0) {
            return;
        }
        int code = ProgramCodes.dtype(dst.dtype());
        synchronized (lock) {
            ensureOpen();
            boolean whole = offset == 0 && count == dst.size();
            if (!whole) {
                zeroPending(dst);
            }
            if (shared[code]) {
                String what = "copyIn of " + count + " " + dst.dtype().torchName() + " elements";
                guard.requireOnDevice(program, cl, what, "before copying into its memory");
                ProgramFields.wrap(ProgramFields.arena(program, code)).put(dst.arenaOffset + offset, src);
                counter.hostToDevice(count * dst.dtype().byteSize());
                dst.zeroPending = false; // every element was overwritten, or it was zeroed above
                return;
            }
            for (long done = 0; done < count; done += CHUNK) {
                int n = (int) Math.min(CHUNK, count - done);
                Buffer chunk = src.slice(src.position() + (int) done, n);
                Object stage = wholeArray(chunk);
                if (stage == null) {
                    HostBuffer copy = HostBuffer.allocate(dst.dtype(), n);
                    copy.put(0, chunk);
                    stage = copy.array();
                }
                // No put: the stage field now holds a new array, and Aparapi creates a field's buffer from its array
                // at the launch (the data is copied then, or used in place on a device that shares host memory).
                ProgramFields.bindStage(program, code, stage);
                launch(
                        Plans.stage(STAGE_IN, code, (int) (dst.arenaOffset + offset + done), n),
                        "copyIn of " + n + " " + dst.dtype().torchName() + " elements");
                counter.hostToDevice((long) n * dst.dtype().byteSize());
            }
            ProgramFields.bindStage(program, code, ProgramFields.newArray(code, 1));
            dst.zeroPending = false;
        }
    }

    void copyOut(ClBuffer src, long offset, Buffer dst) {
        long count = dst.remaining();
        checkTransfer(src, offset, count, dst, "copyOut");
        if (count == 0) {
            return;
        }
        int code = ProgramCodes.dtype(src.dtype());
        synchronized (lock) {
            ensureOpen();
            zeroPending(src);
            if (shared[code]) {
                String what = "copyOut of " + count + " " + src.dtype().torchName() + " elements";
                guard.requireOnDevice(program, cl, what, "before copying out of its memory");
                ProgramFields.wrap(ProgramFields.arena(program, code)).get(src.arenaOffset + offset, dst);
                counter.deviceToHost(count * src.dtype().byteSize());
                return;
            }
            for (long done = 0; done < count; done += CHUNK) {
                int n = (int) Math.min(CHUNK, count - done);
                Buffer chunk = dst.slice(dst.position() + (int) done, n);
                Object direct = chunk.isReadOnly() ? null : wholeArray(chunk);
                Object stage = direct != null ? direct : ProgramFields.newArray(code, n);
                ProgramFields.bindStage(program, code, stage);
                String what = "copyOut of " + n + " " + src.dtype().torchName() + " elements";
                launch(Plans.stage(STAGE_OUT, code, (int) (src.arenaOffset + offset + done), n), what);
                guard.requireOnDevice(program, cl, what, "before read-back");
                ProgramFields.get(program, stage);
                counter.deviceToHost((long) n * src.dtype().byteSize());
                if (direct == null) {
                    ProgramFields.wrap(stage).get(0, chunk);
                }
            }
            ProgramFields.bindStage(program, code, ProgramFields.newArray(code, 1));
        }
    }

    /**
     * A new host buffer with {@code count} elements of {@code src} from {@code offset}. Where the device shares the
     * arena's memory this is one {@code Arrays.copyOfRange}, which the JIT compiles without zero-filling the new array
     * first; elsewhere, a new buffer filled by {@link #copyOut}.
     */
    HostBuffer copyOutNew(ClBuffer src, long offset, long count) {
        ClOperands.range(src, offset, count, "copyOutNew");
        int code = ProgramCodes.dtype(src.dtype());
        synchronized (lock) {
            ensureOpen();
            if (count > 0 && shared[code]) {
                zeroPending(src);
                String what = "copyOut of " + count + " " + src.dtype().torchName() + " elements";
                guard.requireOnDevice(program, cl, what, "before copying out of its memory");
                int from = (int) (src.arenaOffset + offset);
                int to = (int) (from + count);
                Object arena = ProgramFields.arena(program, code);
                HostBuffer out;
                switch (code) {
                    case ProgramCodes.F32:
                        out = HostBuffer.wrap(Arrays.copyOfRange((float[]) arena, from, to));
                        break;
                    case ProgramCodes.F64:
                        out = HostBuffer.wrap(Arrays.copyOfRange((double[]) arena, from, to));
                        break;
                    case ProgramCodes.I64:
                        out = HostBuffer.wrap(Arrays.copyOfRange((long[]) arena, from, to));
                        break;
                    case ProgramCodes.I32:
                        out = HostBuffer.wrap(Arrays.copyOfRange((int[]) arena, from, to));
                        break;
                    default:
                        out = HostBuffer.wrapBool(Arrays.copyOfRange((byte[]) arena, from, to));
                }
                counter.deviceToHost(count * src.dtype().byteSize());
                return out;
            }
        }
        HostBuffer out = HostBuffer.allocate(src.dtype(), count);
        copyOut(src, offset, out.nio(0, count));
        return out;
    }

    /**
     * The Java array behind a heap buffer that spans all of it, which can then serve as the stage itself and save a
     * copy (the common case: a contiguous host tensor's whole storage); else null.
     */
    private static Object wholeArray(Buffer b) {
        if (!b.hasArray() || b.arrayOffset() + b.position() != 0) {
            return null;
        }
        Object array = b.array();
        return ProgramFields.length(array) == b.remaining() ? array : null;
    }

    private void checkTransfer(ClBuffer b, long offset, long count, Buffer host, String call) {
        ClOperands.range(b, offset, count, call);
        checkArgument(
                HostBuffer.nioType(b.dtype()).isInstance(host),
                () -> call + ": " + host.getClass().getSimpleName() + " cannot carry " + b.dtype()
                        + " elements; expected a "
                        + HostBuffer.nioType(b.dtype()).getSimpleName());
    }

    // ---- launches ----

    /** Runs one plan, or nothing when it has no work. */
    void run(int[] plan, String what) {
        if (plan[WORK] == 0) {
            return;
        }
        synchronized (lock) {
            ensureOpen();
            launch(plan, what);
        }
    }

    /** Runs a FILL plan with its value, already converted to the destination's dtype. */
    void fill(int[] plan, double floating, long integral, String what) {
        if (plan[WORK] == 0) {
            return;
        }
        synchronized (lock) {
            ensureOpen();
            program.fillFloating = floating;
            program.fillIntegral = integral;
            launch(plan, what);
        }
    }

    /** Writes the plan into the program and executes it on the device (caller holds the lock). */
    private void launch(int[] plan, String what) {
        if (program.plan.length < plan.length) {
            program.plan = new int[Math.max(plan.length, 2 * program.plan.length)];
        }
        System.arraycopy(plan, 0, program.plan, 0, plan.length);
        ProgramFields.put(program, program.plan);
        program.launchKind = plan[ProgramCodes.KIND];
        program.launchOp = plan[ProgramCodes.OP];
        program.launchWork = plan[WORK];
        if (plan[ProgramCodes.KIND] == ProgramCodes.CONTIGUOUS_F32) {
            program.fastDst = plan[ProgramCodes.FAST_DST];
            program.fastA = plan[ProgramCodes.FAST_A];
            program.fastB = plan[ProgramCodes.FAST_B];
        }
        long groups = Math.max(1, (plan[WORK] + (long) workGroup - 1) / workGroup);
        long global = groups * workGroup;
        checkArgument(
                global <= Integer.MAX_VALUE,
                () -> label + ": " + what + " needs " + plan[WORK] + " work-items, more than one launch holds");
        guard.launch(program, cl, Range.create((int) global, workGroup), what);
        counter.launch(4L * program.plan.length);
    }

    private void ensureOpen() {
        checkState(!closed, () -> "device '" + device + "' is closed: its opencl backend was stopped");
    }

    /** Releases the OpenCL context and every buffer of the device; later calls fail. */
    void close() {
        synchronized (lock) {
            if (!closed) {
                closed = true;
                // aparapi-jni leaks one global reference per disposed kernel, which held every stopped revision
                DeviceObjectRelease leaked = DeviceObjectRelease.before(program);
                program.dispose();
                leaked.release();
            }
        }
    }

    @Override
    public String toString() {
        return label;
    }
}
