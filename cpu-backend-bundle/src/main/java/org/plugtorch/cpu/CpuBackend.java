package org.plugtorch.cpu;

import static org.plugtorch.spi.Preconditions.checkArgument;

import java.nio.Buffer;
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
import org.plugtorch.spi.OperandRules;
import org.plugtorch.spi.ReduceOp;
import org.plugtorch.spi.UnaryOp;

/**
 * The {@code cpu} device: pure Java kernels on the API's {@link HostBuffer} arrays, every dtype. Element-wise ops go
 * through {@link Elementwise} (tight loops for contiguous operands, staging for strided ones, threaded when large),
 * reductions through {@link ReductionKernels}, matrix products through {@link Matmul} (blocked, threaded when large; float32
 * on the Vector API kernel when the JVM has {@code jdk.incubator.vector}, see {@link GemmPath}).
 *
 * <p>Calls may come from any number of threads at once: a call's state lives on its stack, and the only shared
 * object is the helper thread pool. Thread count: the {@code plugtorch.cpu.threads} system property, else one per
 * available processor.
 */
@Component(
        immediate = true,
        service = {})
public final class CpuBackend implements Backend {
    private static final System.Logger LOG = System.getLogger(CpuBackend.class.getName());

    private final CpuThreads threads;
    private final GemmPath gemm;
    private ServiceRegistration<Backend> registration;

    /**
     * One thread per available processor, or {@code plugtorch.cpu.threads}; the float32 GEMM path from
     * {@code plugtorch.cpu.gemm} ({@code auto} when unset).
     */
    public CpuBackend() {
        this(Integer.getInteger("plugtorch.cpu.threads", Runtime.getRuntime().availableProcessors()));
    }

    /** A backend whose kernels use at most {@code threads} threads, the calling one included. */
    public CpuBackend(int threads) {
        this(threads, GemmPath.fromSystemProperty());
    }

    /**
     * As {@link #CpuBackend(int)}, with the float32 GEMM path given: {@code auto} (the Vector API when the JVM has
     * it), {@code vector} (an {@link IllegalStateException} saying why when the JVM lacks it) or {@code scalar}.
     */
    public CpuBackend(int threads, String gemm) {
        this(threads, GemmPath.of(gemm));
    }

    private CpuBackend(int threads, GemmPath gemm) {
        this.threads = new CpuThreads(threads);
        this.gemm = gemm;
    }

    /** Publishes this backend as a service with the properties users filter on (see {@link BackendServices}). */
    @Activate
    void activate(BundleContext context) {
        LOG.log(System.Logger.Level.INFO, "cpu backend: " + threads.size() + " threads, " + gemm);
        registration = BackendServices.register(context, this);
    }

    /** Whether float32 matrix products run on the Vector API kernel. */
    public boolean vectorGemm() {
        return gemm.vector();
    }

    /**
     * Withdraws the service first (the registry evacuates during that, while the kernels still run), then stops
     * the helper threads; a call still in flight finishes on its own thread.
     */
    @Deactivate
    void deactivate() {
        try {
            if (registration != null) {
                registration.unregister();
            }
        } finally {
            threads.close();
        }
    }

    @Override
    public String deviceType() {
        return "cpu";
    }

    /** What {@link #devices()} says: built once, since nothing in it changes while the backend lives. */
    private volatile List<DeviceInfo> devices;

    @Override
    public List<DeviceInfo> devices() {
        List<DeviceInfo> d = devices;
        if (d == null) {
            d = describeDevices();
            devices = d;
        }
        return d;
    }

    private List<DeviceInfo> describeDevices() {
        Runtime rt = Runtime.getRuntime();
        Map<String, String> p = new LinkedHashMap<>();
        p.put("threads", Integer.toString(threads.size()));
        p.put("gemm", gemm.description());
        p.put(
                "elementwise",
                "java loops, strided operands staged in chunks of " + Elementwise.CHUNK + ", threaded from "
                        + 2 * Elementwise.PARALLEL_ELEMENTS + " elements");
        p.put("vm", System.getProperty("java.vm.name") + " " + System.getProperty("java.vm.version"));
        p.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version"));
        String name = "Java " + Runtime.version().feature() + " on " + System.getProperty("os.arch") + ", "
                + rt.availableProcessors() + " cores, " + threads.size() + " threads, " + gemm;
        return List.of(new DeviceInfo(Device.CPU, name, rt.maxMemory(), p));
    }

    @Override
    public Set<DType> dtypes() {
        return EnumSet.allOf(DType.class);
    }

    // ---- allocator ----

    @Override
    public DeviceBuffer allocate(Device device, DType dtype, long size) {
        checkArgument(device.isCpu(), () -> "the cpu backend cannot allocate on device '" + device + "'");
        try {
            return HostBuffer.allocate(dtype, size);
        } catch (OutOfMemoryError e) {
            throw new IllegalStateException(
                    "out of memory on device 'cpu' allocating " + size + " elements of "
                            + dtype + " (" + size * dtype.byteSize() + " bytes; Java heap limit "
                            + Runtime.getRuntime().maxMemory() + " bytes)",
                    e);
        }
    }

    /** Host memory belongs to the garbage collector: there is nothing to release early. */
    @Override
    public void free(DeviceBuffer buffer) {
        hostBuffer(buffer);
    }

    @Override
    public void copyIn(DeviceBuffer dst, long dstOffset, Buffer src) {
        hostBuffer(dst).put(dstOffset, src);
    }

    @Override
    public void copyOut(DeviceBuffer src, long srcOffset, Buffer dst) {
        hostBuffer(src).get(srcOffset, dst);
    }

    @Override
    public boolean copyBetween(DeviceBuffer dst, long dstOffset, DeviceBuffer src, long srcOffset, long count) {
        HostBuffer d = hostBuffer(dst);
        HostBuffer s = hostBuffer(src);
        checkArgument(
                d.dtype() == s.dtype(), () -> "copyBetween needs one dtype; got " + s.dtype() + " to " + d.dtype());
        d.put(dstOffset, s.nio(srcOffset, count));
        return true;
    }

    private static HostBuffer hostBuffer(DeviceBuffer b) {
        checkArgument(b instanceof HostBuffer, () -> "the cpu backend holds host buffers only, not " + b);
        return (HostBuffer) b;
    }

    // ---- kernels ----

    @Override
    public void copy(Operand dst, Operand src) {
        OperandRules.sameShape("copy", dst, src);
        elementwise(Conversions.copy(src.dtype(), dst.dtype()), null, dst, src);
    }

    @Override
    public void fill(Operand dst, Number value) {
        elementwise(Conversions.fill(dst.dtype(), value), null, dst);
    }

    @Override
    public void unary(UnaryOp op, Operand dst, Operand src) {
        OperandRules.unary(op, dst, src);
        RangeKernel k;
        switch (src.dtype()) {
            case FLOAT32:
                k = FloatKernels.unary(op);
                break;
            case FLOAT64:
                k = DoubleKernels.unary(op);
                break;
            case INT64:
                k = LongKernels.unary(op);
                break;
            case INT32:
                k = IntKernels.unary(op);
                break;
            default:
                k = BoolKernels.unary(op);
        }
        elementwise(k, null, dst, src);
    }

    @Override
    public void binary(BinaryOp op, Operand dst, Operand a, Operand b) {
        OperandRules.binary(op, dst, a, b);
        switch (a.dtype()) {
            case FLOAT32:
                elementwise(
                        FloatKernels.binary(op),
                        FloatKernels.binaryScalar(op),
                        FloatKernels.binaryShifted(op),
                        dst,
                        a,
                        b);
                break;
            case FLOAT64:
                elementwise(
                        DoubleKernels.binary(op),
                        DoubleKernels.binaryScalar(op),
                        DoubleKernels.binaryShifted(op),
                        dst,
                        a,
                        b);
                break;
            case INT64:
                elementwise(
                        LongKernels.binary(op), LongKernels.binaryScalar(op), LongKernels.binaryShifted(op), dst, a, b);
                break;
            case INT32:
                elementwise(
                        IntKernels.binary(op), IntKernels.binaryScalar(op), IntKernels.binaryShifted(op), dst, a, b);
                break;
            default:
                elementwise(BoolKernels.binary(op), null, dst, a, b);
        }
    }

    /**
     * Contiguous operands with the output and first input at one offset (a parameter and its gradient); others
     * return false and the runtime runs the scaled copy and the add.
     */
    @Override
    public boolean addScaled(Operand dst, Operand a, Operand b, double alpha) {
        OperandRules.sameShape("addScaled", dst, a, b);
        DType t = dst.dtype();
        if ((t != DType.FLOAT32 && t != DType.FLOAT64)
                || a.dtype() != t
                || b.dtype() != t
                || !dst.isContiguous()
                || !a.isContiguous()
                || !b.isContiguous()
                || a.offset() != dst.offset()) {
            return false;
        }
        Object[] arrays = hostArrays(new Operand[] {dst, a, b});
        long n = dst.numel();
        int from = (int) dst.offset();
        int shift = (int) (b.offset() - dst.offset());
        int pieces = (int) Math.min(2L * threads.size(), n / Elementwise.PARALLEL_ELEMENTS);
        if (pieces < 2) {
            addScaled(arrays, shift, alpha, from, from + (int) n);
        } else {
            threads.parallelFor(
                    pieces,
                    p -> addScaled(
                            arrays, shift, alpha, from + (int) (n * p / pieces), from + (int) (n * (p + 1) / pieces)));
        }
        return true;
    }

    private static void addScaled(Object[] arrays, int shift, double alpha, int from, int to) {
        if (arrays[0] instanceof float[]) {
            ScaledAdd.run(
                    (float[]) arrays[0], (float[]) arrays[1], (float[]) arrays[2], shift, (float) alpha, from, to);
        } else {
            ScaledAdd.run((double[]) arrays[0], (double[]) arrays[1], (double[]) arrays[2], shift, alpha, from, to);
        }
    }

    @Override
    public void where(Operand dst, Operand condition, Operand a, Operand b) {
        OperandRules.where(dst, condition, a, b);
        if (dst.dtype() == DType.FLOAT32) {
            Operand[] operands = {dst, condition, a, b};
            if (DirectElementwise.whereScalar(operands, hostArrays(operands))) {
                return;
            }
        }
        RangeKernel k;
        switch (dst.dtype()) {
            case FLOAT32:
                k = FloatKernels.where();
                break;
            case FLOAT64:
                k = DoubleKernels.where();
                break;
            case INT64:
                k = LongKernels.where();
                break;
            case INT32:
                k = IntKernels.where();
                break;
            default:
                k = BoolKernels.where();
        }
        elementwise(k, null, dst, condition, a, b);
    }

    @Override
    public void reduce(ReduceOp op, Operand dst, Operand src) {
        OperandRules.reduce(op, dst, src);
        HostOperands.host(dst, "destination");
        HostOperands.host(src, "source");
        ReductionKernels.run(op, dst, src, threads);
    }

    @Override
    public void matmul(Operand dst, Operand a, Operand b) {
        OperandRules.matmul(dst, a, b);
        HostOperands.host(dst, "destination");
        HostOperands.host(a, "first operand");
        HostOperands.host(b, "second operand");
        Matmul.run(dst, a, b, threads, gemm);
    }

    /** How an operand is named in a message, by position (built once, not on every call). */
    private static final String[] ROLES = {"destination", "operand 1", "operand 2", "operand 3"};

    /** Runs an element-wise kernel; {@code operands[0]} is the output. */
    private void elementwise(RangeKernel kernel, ScalarKernel scalar, Operand... operands) {
        elementwise(kernel, scalar, null, operands);
    }

    private void elementwise(RangeKernel kernel, ScalarKernel scalar, ShiftedKernel shifted, Operand... operands) {
        int n = operands.length;
        Object[] arrays = hostArrays(operands);
        if (DirectElementwise.tryRun(operands, arrays, kernel, scalar, shifted)) {
            return;
        }
        long[][] strides = new long[n][];
        long[] offsets = new long[n];
        for (int k = 0; k < n; k++) {
            strides[k] = operands[k].strides();
            offsets[k] = operands[k].offset();
        }
        Elementwise.run(
                StridedPlan.of(operands[0].shape(), strides, offsets, true), arrays, kernel, scalar, shifted, threads);
    }

    /** The operands' arrays, each checked to lie inside its buffer. */
    private static Object[] hostArrays(Operand[] operands) {
        Object[] arrays = new Object[operands.length];
        for (int k = 0; k < operands.length; k++) {
            arrays[k] = HostOperands.host(operands[k], k < ROLES.length ? ROLES[k] : "operand " + k)
                    .array();
        }
        return arrays;
    }

    @Override
    public String toString() {
        return "CpuBackend(" + threads.size() + " threads, " + gemm + ")";
    }
}
