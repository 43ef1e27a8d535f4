package org.plugtorch.opencl;

import java.nio.Buffer;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.plugtorch.DType;
import org.plugtorch.Device;
import org.plugtorch.cpu.CpuBackend;
import org.plugtorch.spi.Backend;
import org.plugtorch.spi.BinaryOp;
import org.plugtorch.spi.DeviceBuffer;
import org.plugtorch.spi.DeviceInfo;
import org.plugtorch.spi.HostBuffer;
import org.plugtorch.spi.Operand;
import org.plugtorch.spi.ReduceOp;
import org.plugtorch.spi.UnaryOp;

/**
 * The OpenCL backend with every call checked as it happens, for whole programs (a training run) rather than single
 * kernels: each op also runs on the CPU backend over host copies of its operands' current device contents, and the
 * destination's whole buffer must then agree; every allocation must be disjoint from every live buffer of its dtype.
 * The first disagreement is an {@link AssertionError} naming the op. Test-only: it reads every operand back.
 */
final class CpuCheckedBackend implements Backend {
    private final OpenClBackend opencl;
    private final CpuBackend cpu = new CpuBackend(1);
    private final Map<DeviceBuffer, HostBuffer> live = new IdentityHashMap<>();
    private long ops;

    CpuCheckedBackend(OpenClBackend opencl) {
        this.opencl = opencl;
    }

    long ops() {
        return ops;
    }

    @Override
    public String deviceType() {
        return opencl.deviceType();
    }

    @Override
    public List<DeviceInfo> devices() {
        return opencl.devices();
    }

    @Override
    public String unavailableReason() {
        return opencl.unavailableReason();
    }

    @Override
    public Set<DType> dtypes() {
        return opencl.dtypes();
    }

    @Override
    public synchronized DeviceBuffer allocate(Device device, DType dtype, long size) {
        ClBuffer b = (ClBuffer) opencl.allocate(device, dtype, size);
        for (DeviceBuffer other : live.keySet()) {
            ClBuffer o = (ClBuffer) other;
            if (o.dtype() == dtype
                    && size > 0
                    && o.size() > 0
                    && b.arenaOffset < o.arenaOffset + o.size()
                    && o.arenaOffset < b.arenaOffset + size) {
                throw new AssertionError("allocation " + b + " overlaps the live " + o);
            }
        }
        live.put(b, HostBuffer.allocate(dtype, size));
        return b;
    }

    @Override
    public synchronized void free(DeviceBuffer buffer) {
        opencl.free(buffer);
        live.remove(buffer);
    }

    @Override
    public synchronized void copyIn(DeviceBuffer dst, long dstOffset, Buffer src) {
        opencl.copyIn(dst, dstOffset, src);
    }

    @Override
    public synchronized void copyOut(DeviceBuffer src, long srcOffset, Buffer dst) {
        opencl.copyOut(src, srcOffset, dst);
    }

    @Override
    public synchronized boolean copyBetween(
            DeviceBuffer dst, long dstOffset, DeviceBuffer src, long srcOffset, long count) {
        HostBuffer expected = current(dst);
        cpu.copyBetween(expected, dstOffset, current(src), srcOffset, count);
        boolean done = opencl.copyBetween(dst, dstOffset, src, srcOffset, count);
        if (done) {
            compare("copyBetween", dst, expected);
        }
        return done;
    }

    /** A host copy of the buffer's device contents now. */
    private HostBuffer current(DeviceBuffer b) {
        HostBuffer h = live.get(b);
        opencl.copyOut(b, 0, h.nio(0, h.size()));
        return h;
    }

    private Operand host(Operand o) {
        return new Operand(current(o.buffer()), o.offset(), o.shape(), o.strides());
    }

    private void compare(String what, DeviceBuffer b, HostBuffer expected) {
        ops++;
        HostBuffer actual = HostBuffer.allocate(b.dtype(), b.size());
        opencl.copyOut(b, 0, actual.nio(0, b.size()));
        for (int i = 0; i < b.size(); i++) {
            double x = value(actual, i);
            double y = value(expected, i);
            boolean same = Double.isNaN(x)
                    ? Double.isNaN(y)
                    : Double.isInfinite(x) || Double.isInfinite(y)
                            ? x == y
                            : Math.abs(x - y) <= 1e-3 * Math.abs(y) + 1e-5;
            if (!same) {
                throw new AssertionError("op #" + ops + " " + what + ": element " + i + " of the destination is " + x
                        + " on opencl, " + y + " on the cpu backend");
            }
        }
    }

    private static double value(HostBuffer h, int i) {
        switch (h.dtype()) {
            case FLOAT32:
                return h.floats()[i];
            case FLOAT64:
                return h.doubles()[i];
            case INT64:
                return h.longs()[i];
            case INT32:
                return h.ints()[i];
            default:
                return h.bools()[i];
        }
    }

    @Override
    public synchronized void copy(Operand dst, Operand src) {
        Operand d = host(dst);
        cpu.copy(d, host(src));
        opencl.copy(dst, src);
        compare("copy " + src + " -> " + dst, dst.buffer(), (HostBuffer) d.buffer());
    }

    @Override
    public synchronized void fill(Operand dst, Number value) {
        Operand d = host(dst);
        cpu.fill(d, value);
        opencl.fill(dst, value);
        compare("fill " + dst + " with " + value, dst.buffer(), (HostBuffer) d.buffer());
    }

    @Override
    public synchronized void unary(UnaryOp op, Operand dst, Operand src) {
        Operand d = host(dst);
        cpu.unary(op, d, host(src));
        opencl.unary(op, dst, src);
        compare(op + " " + src + " -> " + dst, dst.buffer(), (HostBuffer) d.buffer());
    }

    @Override
    public synchronized void binary(BinaryOp op, Operand dst, Operand a, Operand b) {
        Operand d = host(dst);
        cpu.binary(op, d, host(a), host(b));
        opencl.binary(op, dst, a, b);
        compare(op + " " + a + ", " + b + " -> " + dst, dst.buffer(), (HostBuffer) d.buffer());
    }

    @Override
    public synchronized void where(Operand dst, Operand condition, Operand a, Operand b) {
        Operand d = host(dst);
        cpu.where(d, host(condition), host(a), host(b));
        opencl.where(dst, condition, a, b);
        compare("where -> " + dst, dst.buffer(), (HostBuffer) d.buffer());
    }

    @Override
    public synchronized void reduce(ReduceOp op, Operand dst, Operand src) {
        Operand d = host(dst);
        cpu.reduce(op, d, host(src));
        opencl.reduce(op, dst, src);
        compare(op + " " + src + " -> " + dst, dst.buffer(), (HostBuffer) d.buffer());
    }

    @Override
    public synchronized void matmul(Operand dst, Operand a, Operand b) {
        Operand d = host(dst);
        cpu.matmul(d, host(a), host(b));
        opencl.matmul(dst, a, b);
        compare("matmul " + a + " @ " + b + " -> " + dst, dst.buffer(), (HostBuffer) d.buffer());
    }
}
