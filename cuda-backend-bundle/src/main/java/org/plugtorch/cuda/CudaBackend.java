package org.plugtorch.cuda;

import static org.plugtorch.spi.Preconditions.checkArgument;
import static org.plugtorch.spi.Preconditions.checkIndex;
import static org.plugtorch.spi.Preconditions.checkState;

import java.nio.Buffer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.stream.Collectors;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.plugtorch.DType;
import org.plugtorch.Device;
import org.plugtorch.osgi.BackendServices;
import org.plugtorch.spi.Backend;
import org.plugtorch.spi.BinaryOp;
import org.plugtorch.spi.DeviceBuffer;
import org.plugtorch.spi.DeviceInfo;
import org.plugtorch.spi.HostBuffer;
import org.plugtorch.spi.Operand;
import org.plugtorch.spi.OperandRules;
import org.plugtorch.spi.ReduceOp;
import org.plugtorch.spi.UnaryOp;

/**
 * The {@code cuda} devices, through JCuda's binding of the CUDA driver API: {@code cuda:0}, {@code cuda:1}, ... with
 * their primary contexts, device memory from {@code cuMemAlloc}, host transfers through pinned staging memory, and
 * kernels written in CUDA C, compiled to PTX ahead of time and JIT-compiled by the driver ({@code src/main/cuda}).
 * Every dtype and every op of the SPI runs on the device; nothing falls back to the host.
 *
 * <p>Constructing it never throws. On a machine without a driver or a device it registers all the same and reports
 * itself unavailable with the reason ({@link #unavailableReason()}); every operation then throws that reason.
 *
 * <p>Operations are queued on each device's default stream, which keeps them in the order they were called in from
 * any thread, and copies to the host wait for them; so each call's result is visible to the next call. Set the
 * system property {@code plugtorch.cuda.sync=true} to wait after every kernel, which makes an asynchronous failure
 * surface at the kernel that caused it.
 */
@Component(
        immediate = true,
        service = {})
public final class CudaBackend implements Backend {
    static final boolean SYNCHRONOUS = Boolean.getBoolean("plugtorch.cuda.sync");
    private static final System.Logger LOG = System.getLogger(CudaBackend.class.getName());

    private final List<CudaDevice> devices;
    private final String startupFailure;
    /** Operations hold the read side; deactivation takes the write side, so it waits for the calls in flight. */
    private final ReentrantReadWriteLock lifecycle = new ReentrantReadWriteLock();

    private volatile boolean deactivated;
    private ServiceRegistration<Backend> registration;

    /** Starts on the CUDA installation of this machine, or registers as unavailable with the reason. */
    public CudaBackend() {
        this(startOnThisMachine(), PinnedStaging.DEFAULT_CHUNK_BYTES, MemoryReclaimer.garbageCollection(250));
    }

    /** A backend on {@code platform}: what tests use to start it on a test driver. */
    CudaBackend(CudaPlatform platform, int stagingChunkBytes, MemoryReclaimer reclaimer) {
        this(CudaStartup.start(platform), stagingChunkBytes, reclaimer);
    }

    private CudaBackend(CudaStartup.Outcome started, int stagingChunkBytes, MemoryReclaimer reclaimer) {
        this.startupFailure = started.reason;
        List<CudaDevice> list = new ArrayList<>();
        for (int i = 0; i < started.devices.size(); i++) {
            list.add(new CudaDevice(started.driver, i, started.devices.get(i), stagingChunkBytes, reclaimer));
        }
        this.devices = Collections.unmodifiableList(list);
        if (startupFailure != null) {
            LOG.log(System.Logger.Level.DEBUG, "cuda backend unavailable: " + startupFailure);
        }
    }

    private static CudaStartup.Outcome startOnThisMachine() {
        try {
            return CudaStartup.start(new JCudaPlatform());
        } catch (LinkageError | RuntimeException e) {
            return CudaStartup.Outcome.unavailable(
                    "the JCuda classes could not be loaded: " + CudaStartup.firstLine(e));
        }
    }

    /** Publishes this backend as a service with the properties users filter on (see {@link BackendServices}). */
    @Activate
    void activate(BundleContext context) {
        registration = BackendServices.register(context, this);
    }

    /**
     * Withdraws the service first (the registry evacuates the tensors during that, while the devices still work),
     * then releases every device's memory and context once the calls in flight are done.
     */
    @Deactivate
    void deactivate() {
        if (registration != null) {
            registration.unregister();
            registration = null;
        }
        lifecycle.writeLock().lock();
        try {
            deactivated = true;
            for (CudaDevice d : devices) {
                try {
                    d.close();
                } catch (RuntimeException e) {
                    LOG.log(System.Logger.Level.WARNING, "releasing " + d.device + " failed: " + e.getMessage(), e);
                }
            }
        } finally {
            lifecycle.writeLock().unlock();
        }
    }

    @Override
    public String deviceType() {
        return "cuda";
    }

    @Override
    public String unavailableReason() {
        if (startupFailure != null) {
            return startupFailure;
        }
        return deactivated ? "the cuda backend was deactivated" : null;
    }

    @Override
    public List<DeviceInfo> devices() {
        if (unavailableReason() != null) {
            return List.of();
        }
        return devices.stream().map(CudaDevice::info).collect(Collectors.toUnmodifiableList());
    }

    @Override
    public Set<DType> dtypes() {
        return EnumSet.allOf(DType.class);
    }

    /** Bytes held in live buffers on {@code device}: what tests and diagnostics read. */
    long bytesInUse(Device device) {
        return device(device).allocations.bytes();
    }

    /** The state behind {@code device}, for tests that reach below the SPI (loading every kernel, say). */
    CudaDevice cudaDevice(Device device) {
        return device(device);
    }

    /** The live buffers on {@code device}, in no particular order. */
    List<DeviceBuffer> liveBuffers(Device device) {
        return new ArrayList<>(device(device).allocations.snapshot());
    }

    /** Waits until everything queued on {@code device} has run: for benchmarks, which time the device. */
    public void synchronize(Device device) {
        Lock l = enter();
        try {
            device(device).synchronize();
        } finally {
            l.unlock();
        }
    }

    // ---- allocator ----

    @Override
    public DeviceBuffer allocate(Device device, DType dtype, long size) {
        Lock l = enter();
        try {
            return device(device).allocate(dtype, size);
        } finally {
            l.unlock();
        }
    }

    /** Frees at once; safe from any thread, the API's Cleaner thread included, and after deactivation. */
    @Override
    public void free(DeviceBuffer buffer) {
        CudaBuffer b = own(buffer, "buffer");
        Lock l = lifecycle.readLock();
        l.lock();
        try {
            b.owner.free(b);
        } finally {
            l.unlock();
        }
    }

    @Override
    public void copyIn(DeviceBuffer dst, long dstOffset, Buffer src) {
        CudaBuffer d = own(dst, "destination");
        checkHostTransfer(d, dstOffset, src);
        Lock l = enter();
        try {
            d.owner.copyIn(d, dstOffset, src);
        } finally {
            l.unlock();
        }
    }

    @Override
    public void copyOut(DeviceBuffer src, long srcOffset, Buffer dst) {
        CudaBuffer s = own(src, "source");
        checkHostTransfer(s, srcOffset, dst);
        Lock l = enter();
        try {
            s.owner.copyOut(s, srcOffset, dst);
        } finally {
            l.unlock();
        }
    }

    /** Device to device, within one device or between two ({@code cuMemcpyPeer}); never through the host. */
    @Override
    public boolean copyBetween(DeviceBuffer dst, long dstOffset, DeviceBuffer src, long srcOffset, long count) {
        CudaBuffer d = own(dst, "destination");
        CudaBuffer s = own(src, "source");
        checkArgument(d.dtype == s.dtype, () -> "copyBetween needs one dtype; got " + s.dtype + " to " + d.dtype);
        checkRange(s, srcOffset, count);
        checkRange(d, dstOffset, count);
        if (count == 0) {
            return true;
        }
        Lock l = enter();
        try {
            d.owner.copyFrom(d, dstOffset, s, srcOffset, count);
            return true;
        } finally {
            l.unlock();
        }
    }

    // ---- kernels ----

    @Override
    public void copy(Operand dst, Operand src) {
        OperandRules.sameShape("copy", dst, src);
        elementwise("pt_copy_" + KernelNames.of(src.dtype()) + "_" + KernelNames.of(dst.dtype()), null, null, dst, src);
    }

    @Override
    public void fill(Operand dst, Number value) {
        elementwise("pt_fill_" + KernelNames.bits(dst.dtype()), null, FillBits.of(dst.dtype(), value), dst);
    }

    @Override
    public void unary(UnaryOp op, Operand dst, Operand src) {
        OperandRules.unary(op, dst, src);
        if (op == UnaryOp.LOGICAL_NOT) {
            elementwise("pt_logical_not_" + KernelNames.of(src.dtype()), null, null, dst, src);
        } else {
            elementwise("pt_unary_" + KernelNames.of(src.dtype()), KernelOps.code(op), null, dst, src);
        }
    }

    @Override
    public void binary(BinaryOp op, Operand dst, Operand a, Operand b) {
        OperandRules.binary(op, dst, a, b);
        String family = op.producesBool() ? "pt_compare_" : "pt_binary_";
        elementwise(family + KernelNames.of(a.dtype()), KernelOps.code(op), null, dst, a, b);
    }

    @Override
    public void where(Operand dst, Operand condition, Operand a, Operand b) {
        OperandRules.where(dst, condition, a, b);
        elementwise("pt_where_" + KernelNames.bits(dst.dtype()), null, null, dst, condition, a, b);
    }

    @Override
    public void reduce(ReduceOp op, Operand dst, Operand src) {
        OperandRules.reduce(op, dst, src);
        Lock l = enter();
        try {
            CudaDevice device = onOneDevice(dst, src);
            ReductionLayout layout = ReductionLayout.of(dst, src);
            if (ReductionLaunch.fits(layout)) {
                ReductionLaunch.run(device, KernelOps.code(op), dst, src, layout);
                return;
            }
            // more reduced dimensions than the kernel takes: reduce a contiguous copy, whose reduced part is one run
            CudaBuffer copy = device.allocate(src.dtype(), src.numel());
            try {
                Operand contiguous = Operand.contiguous(copy, src.shape());
                copyOn(device, contiguous, src);
                ReductionLaunch.run(device, KernelOps.code(op), dst, contiguous, ReductionLayout.of(dst, contiguous));
            } finally {
                device.free(copy);
            }
        } finally {
            l.unlock();
        }
    }

    @Override
    public void matmul(Operand dst, Operand a, Operand b) {
        OperandRules.matmul(dst, a, b);
        Lock l = enter();
        try {
            MatmulLaunch.run(onOneDevice(dst, a, b), dst, a, b);
        } finally {
            l.unlock();
        }
    }

    private void elementwise(String kernel, Integer op, Long bits, Operand... operands) {
        Lock l = enter();
        try {
            ElementwiseLaunch.run(onOneDevice(operands), kernel, op, bits, operands);
        } finally {
            l.unlock();
        }
    }

    private void copyOn(CudaDevice device, Operand dst, Operand src) {
        ElementwiseLaunch.run(
                device,
                "pt_copy_" + KernelNames.of(src.dtype()) + "_" + KernelNames.of(dst.dtype()),
                null,
                null,
                dst,
                src);
    }

    // ---- helpers ----

    /** Takes the lifecycle's read side, after checking that the backend can serve at all. */
    private Lock enter() {
        checkState(startupFailure == null, () -> "the cuda backend is unavailable: " + startupFailure);
        Lock l = lifecycle.readLock();
        l.lock();
        if (deactivated) {
            l.unlock();
            throw new IllegalStateException("the cuda backend was deactivated");
        }
        return l;
    }

    private CudaDevice device(Device device) {
        checkArgument(
                device.type().equals("cuda") && device.index() < devices.size(),
                () -> "the cuda backend has no device '" + device + "'; it serves "
                        + (devices.isEmpty()
                                ? "none"
                                : devices.stream().map(d -> d.device.toString()).collect(Collectors.joining(", "))));
        return devices.get(device.index());
    }

    private CudaBuffer own(DeviceBuffer buffer, String role) {
        checkArgument(
                buffer instanceof CudaBuffer && devices.contains(((CudaBuffer) buffer).owner),
                () -> "the " + role + " " + buffer + " is not a buffer of this cuda backend");
        CudaBuffer b = (CudaBuffer) buffer;
        checkState(!b.isFreed() || b.owner.isClosed(), () -> "the " + role + " " + b + " was freed");
        return b;
    }

    private static void checkHostTransfer(CudaBuffer b, long offset, Buffer host) {
        checkArgument(
                HostBuffer.nioType(b.dtype).isInstance(host),
                () -> host.getClass().getSimpleName() + " cannot carry " + b.dtype + " elements; expected a "
                        + HostBuffer.nioType(b.dtype).getSimpleName());
        checkRange(b, offset, host.remaining());
    }

    private static void checkRange(CudaBuffer b, long offset, long count) {
        checkIndex(
                offset >= 0 && count >= 0 && offset <= b.size - count,
                () -> "range [" + offset + ", " + (offset + count) + ") outside " + b);
    }

    /** The device of every operand, after checking each is a live buffer there that holds all it addresses. */
    private CudaDevice onOneDevice(Operand... operands) {
        CudaDevice device = OperandChecks.buffer(operands[0], "the destination", null).owner;
        for (int i = 1; i < operands.length; i++) {
            OperandChecks.buffer(operands[i], "the operand " + i, device);
        }
        checkArgument(devices.contains(device), () -> device.device + " belongs to another cuda backend");
        return device;
    }

    @Override
    public String toString() {
        String reason = unavailableReason();
        return reason != null
                ? "CudaBackend(unavailable: " + reason + ")"
                : "CudaBackend("
                        + devices.stream()
                                .map(d -> d.device + " " + d.properties.name)
                                .collect(Collectors.joining(", "))
                        + ")";
    }
}
