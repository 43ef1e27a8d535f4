package org.plugtorch.opencl;

import static org.plugtorch.spi.Preconditions.checkArgument;

import java.nio.Buffer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
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
import org.plugtorch.spi.ReduceOp;
import org.plugtorch.spi.UnaryOp;

/**
 * The {@code opencl} devices: every OpenCL device of every platform, with kernels written in Java and translated to
 * OpenCL by Aparapi (embedded in this bundle). Tensors stay on their device between ops; see {@code docs/opencl.md}
 * for how device memory is managed around Aparapi's model, and {@link LaunchGuard} for why no kernel ever runs
 * anywhere else unnoticed.
 *
 * <p>Starting the backend finds the devices and compiles the kernels for each, once: the slow part (seconds with
 * PoCL's first build, much less once its kernel cache holds the binary). Nothing in the constructor throws: with no
 * OpenCL platform, or no usable device, the backend is unavailable and {@link #unavailableReason()} says why.
 */
@Component(
        immediate = true,
        service = {})
public final class OpenClBackend implements Backend {
    private static final System.Logger LOG = System.getLogger(OpenClBackend.class.getName());

    private final List<ClDevice> devices;
    private final List<DeviceInfo> infos;
    private final String unavailableReason;
    private final AparapiLog log;
    private final ClKernels kernels = new ClKernels();
    private ServiceRegistration<Backend> registration;

    /** Finds and starts every OpenCL device; never throws. */
    public OpenClBackend() {
        List<ClDevice> started = new ArrayList<>();
        List<DeviceInfo> described = new ArrayList<>();
        String reason;
        AparapiLog aparapiLog = null;
        try {
            AparapiLog.initialise();
            aparapiLog = new AparapiLog().attach();
            OpenClPlatforms.Startup s = OpenClPlatforms.start(aparapiLog);
            for (ClDevice d : s.devices) {
                started.add(d);
                DeviceInfo info = d.info();
                Map<String, String> properties = new LinkedHashMap<>(info.properties());
                properties.put("signals", s.signals.describe());
                described.add(new DeviceInfo(info.device(), info.name(), info.totalMemory(), properties));
            }
            if (s.signals != null && s.signals.describe().contains("not protected")) {
                LOG.log(
                        System.Logger.Level.WARNING,
                        "opencl: the JVM's signal handlers: " + s.signals.describe() + "; to be safe, "
                                + SignalGuard.FIX);
            }
            for (String failure : s.failures) {
                LOG.log(System.Logger.Level.WARNING, "opencl device unusable: " + failure);
            }
            reason = s.unavailableReason;
        } catch (Throwable t) {
            reason = "OpenCL start-up failed: " + OpenClPlatforms.firstLine(t);
            started.forEach(ClDevice::close);
            started.clear();
            described.clear();
        }
        this.devices = Collections.unmodifiableList(started);
        this.infos = Collections.unmodifiableList(described);
        this.unavailableReason = reason;
        this.log = aparapiLog;
    }

    /**
     * Publishes this backend as a {@link Backend} service with its devices and availability as properties (see
     * {@link BackendServices}); unavailable, it is published all the same, so that users can see why.
     */
    @Activate
    void activate(BundleContext context) {
        registration = BackendServices.register(context, this);
    }

    /** Withdraws the service first (the registry evacuates the tensors then, while the kernels still run), then closes. */
    @Deactivate
    void deactivate() {
        try {
            if (registration != null) {
                registration.unregister();
            }
        } finally {
            close();
        }
    }

    /** Releases every device's OpenCL context; the backend is unusable afterwards. */
    public void close() {
        devices.forEach(ClDevice::close);
        if (log != null) {
            log.close();
        }
    }

    /** What {@code device} has transferred and launched since the backend started. */
    public TransferStats transferStats(Device device) {
        return device(device).transfers();
    }

    @Override
    public String deviceType() {
        return "opencl";
    }

    @Override
    public List<DeviceInfo> devices() {
        return infos;
    }

    @Override
    public String unavailableReason() {
        return unavailableReason;
    }

    /** Every dtype: float64 and int64 are OpenCL core types on a device with cl_khr_fp64, which start-up requires. */
    @Override
    public Set<DType> dtypes() {
        return EnumSet.allOf(DType.class);
    }

    private ClDevice device(Device device) {
        if (device.type().equals("opencl")) {
            for (ClDevice d : devices) {
                if (d.device().equals(device)) {
                    return d;
                }
            }
        }
        throw new IllegalArgumentException("the opencl backend does not serve device '" + device + "'"
                + (unavailableReason != null ? " (" + unavailableReason + ")" : "; it serves " + infos));
    }

    private ClDevice device(DeviceBuffer buffer) {
        return device(buffer.device());
    }

    // ---- allocator ----

    @Override
    public DeviceBuffer allocate(Device device, DType dtype, long size) {
        return device(device).allocate(dtype, size);
    }

    @Override
    public void free(DeviceBuffer buffer) {
        ClDevice d = device(buffer);
        d.free(ClOperands.buffer(buffer, d, "the buffer to free"));
    }

    @Override
    public void copyIn(DeviceBuffer dst, long dstOffset, Buffer src) {
        ClDevice d = device(dst);
        d.copyIn(ClOperands.buffer(dst, d, "the destination"), dstOffset, src);
    }

    @Override
    public void copyOut(DeviceBuffer src, long srcOffset, Buffer dst) {
        ClDevice d = device(src);
        d.copyOut(ClOperands.buffer(src, d, "the source"), srcOffset, dst);
    }

    @Override
    public HostBuffer copyOutNew(DeviceBuffer src, long srcOffset, long count) {
        ClDevice d = device(src);
        return d.copyOutNew(ClOperands.buffer(src, d, "the source"), srcOffset, count);
    }

    /** On one device, a kernel copies; between two devices (two OpenCL contexts) the runtime stages through the host. */
    @Override
    public boolean copyBetween(DeviceBuffer dst, long dstOffset, DeviceBuffer src, long srcOffset, long count) {
        if (!dst.device().equals(src.device())) {
            return false;
        }
        checkArgument(
                dst.dtype() == src.dtype(),
                () -> "copyBetween needs one dtype; got " + src.dtype() + " to " + dst.dtype());
        ClDevice d = device(dst);
        ClBuffer to = ClOperands.buffer(dst, d, "the destination");
        ClBuffer from = ClOperands.buffer(src, d, "the source");
        ClOperands.range(to, dstOffset, count, "copyBetween");
        ClOperands.range(from, srcOffset, count, "copyBetween");
        if (to == from && dstOffset < srcOffset + count && srcOffset < dstOffset + count) {
            return false; // overlapping ranges: work-items would race
        }
        kernels.copy(
                d,
                new Operand(dst, dstOffset, new long[] {count}, new long[] {1}),
                new Operand(src, srcOffset, new long[] {count}, new long[] {1}));
        return true;
    }

    // ---- kernels ----

    @Override
    public void copy(Operand dst, Operand src) {
        kernels.copy(device(dst.buffer()), dst, src);
    }

    @Override
    public void fill(Operand dst, Number value) {
        kernels.fill(device(dst.buffer()), dst, value);
    }

    @Override
    public void unary(UnaryOp op, Operand dst, Operand src) {
        kernels.unary(device(dst.buffer()), op, dst, src);
    }

    @Override
    public void binary(BinaryOp op, Operand dst, Operand a, Operand b) {
        kernels.binary(device(dst.buffer()), op, dst, a, b);
    }

    @Override
    public void where(Operand dst, Operand condition, Operand a, Operand b) {
        kernels.where(device(dst.buffer()), dst, condition, a, b);
    }

    @Override
    public void reduce(ReduceOp op, Operand dst, Operand src) {
        kernels.reduce(device(dst.buffer()), op, dst, src);
    }

    @Override
    public void matmul(Operand dst, Operand a, Operand b) {
        kernels.matmul(device(dst.buffer()), dst, a, b);
    }

    @Override
    public String toString() {
        return "OpenClBackend(" + (unavailableReason != null ? "unavailable: " + unavailableReason : infos) + ")";
    }
}
