package org.plugtorch.tck;

import java.nio.Buffer;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.plugtorch.DType;
import org.plugtorch.Device;
import org.plugtorch.spi.Backend;
import org.plugtorch.spi.BinaryOp;
import org.plugtorch.spi.DeviceBuffer;
import org.plugtorch.spi.DeviceInfo;
import org.plugtorch.spi.HostBuffer;
import org.plugtorch.spi.Operand;
import org.plugtorch.spi.ReduceOp;
import org.plugtorch.spi.UnaryOp;

/**
 * The test kit's oracle: every kernel of the SPI written as plainly as possible, one element at a time through a
 * multi-index, in double (floating point) or long (integer) arithmetic. It is slow on purpose and shares no code with
 * any real backend, so that a backend compared against it is compared against something independent.
 *
 * <p>It also serves the {@code cpu} device in api-bundle's own tests, which cannot depend on the CPU backend bundle.
 * Its device type can be renamed so that tests can have a second, distinct device ({@code fake:0}) to exercise
 * moves and device checks without a GPU.
 */
public final class ReferenceBackend implements Backend {
    private final String type;

    /** Serves {@code cpu}. */
    public ReferenceBackend() {
        this("cpu");
    }

    /** Serves {@code type:0}; its buffers are host arrays that report that device. */
    public ReferenceBackend(String type) {
        this.type = type;
    }

    @Override
    public String deviceType() {
        return type;
    }

    @Override
    public List<DeviceInfo> devices() {
        return List.of(new DeviceInfo(device(), "reference kernels (test kit)", -1, Map.of()));
    }

    private Device device() {
        return Device.of(type, 0);
    }

    @Override
    public Set<DType> dtypes() {
        return EnumSet.allOf(DType.class);
    }

    /** A host array reporting a non-CPU device: the fake device's memory. */
    private static final class FakeDeviceBuffer implements DeviceBuffer {
        final HostBuffer host;
        final Device device;
        volatile boolean freed;

        FakeDeviceBuffer(HostBuffer host, Device device) {
            this.host = host;
            this.device = device;
        }

        @Override
        public Device device() {
            return device;
        }

        @Override
        public DType dtype() {
            return host.dtype();
        }

        @Override
        public long size() {
            return host.size();
        }
    }

    @Override
    public DeviceBuffer allocate(Device device, DType dtype, long size) {
        HostBuffer h = HostBuffer.allocate(dtype, size);
        return device.isCpu() ? h : new FakeDeviceBuffer(h, device);
    }

    @Override
    public void free(DeviceBuffer buffer) {
        if (buffer instanceof FakeDeviceBuffer) {
            FakeDeviceBuffer f = (FakeDeviceBuffer) buffer;
            if (f.freed) {
                throw new IllegalStateException("double free of " + buffer);
            }
            f.freed = true;
        }
    }

    private static HostBuffer host(DeviceBuffer b) {
        if (b instanceof FakeDeviceBuffer) {
            if (((FakeDeviceBuffer) b).freed) {
                throw new IllegalStateException("use after free");
            }
            return ((FakeDeviceBuffer) b).host;
        }
        return (HostBuffer) b;
    }

    @Override
    public void copyIn(DeviceBuffer dst, long dstOffset, Buffer src) {
        host(dst).put(dstOffset, src);
    }

    @Override
    public void copyOut(DeviceBuffer src, long srcOffset, Buffer dst) {
        host(src).get(srcOffset, dst);
    }

    // ---- element access ----

    private static boolean floating(Operand o) {
        return o.dtype().isFloatingPoint();
    }

    private static long at(Operand o, long[] idx) {
        long p = o.offset();
        for (int i = 0; i < idx.length; i++) {
            p += idx[i] * o.strides()[i];
        }
        return p;
    }

    private static double getD(Operand o, long[] idx) {
        HostBuffer h = host(o.buffer());
        int p = (int) at(o, idx);
        switch (o.dtype()) {
            case FLOAT32:
                return h.floats()[p];
            case FLOAT64:
                return h.doubles()[p];
            case INT64:
                return h.longs()[p];
            case INT32:
                return h.ints()[p];
            default:
                return h.bools()[p];
        }
    }

    private static long getL(Operand o, long[] idx) {
        HostBuffer h = host(o.buffer());
        int p = (int) at(o, idx);
        switch (o.dtype()) {
            case FLOAT32:
                return (long) h.floats()[p];
            case FLOAT64:
                return (long) h.doubles()[p];
            case INT64:
                return h.longs()[p];
            case INT32:
                return h.ints()[p];
            default:
                return h.bools()[p];
        }
    }

    private static boolean isTrue(Operand o, long[] idx) {
        return floating(o) ? getD(o, idx) != 0 : getL(o, idx) != 0;
    }

    private static void setD(Operand o, long[] idx, double v) {
        HostBuffer h = host(o.buffer());
        int p = (int) at(o, idx);
        switch (o.dtype()) {
            case FLOAT32:
                h.floats()[p] = (float) v;
                break;
            case FLOAT64:
                h.doubles()[p] = v;
                break;
            case INT64:
                h.longs()[p] = (long) v;
                break;
            case INT32:
                h.ints()[p] = (int) (long) v;
                break;
            default:
                h.bools()[p] = (byte) (v != 0 ? 1 : 0);
        }
    }

    private static void setL(Operand o, long[] idx, long v) {
        HostBuffer h = host(o.buffer());
        int p = (int) at(o, idx);
        switch (o.dtype()) {
            case FLOAT32:
                h.floats()[p] = (float) v;
                break;
            case FLOAT64:
                h.doubles()[p] = v;
                break;
            case INT64:
                h.longs()[p] = v;
                break;
            case INT32:
                h.ints()[p] = (int) v;
                break;
            default:
                h.bools()[p] = (byte) (v != 0 ? 1 : 0);
        }
    }

    /** Advances a row-major multi-index; false when it wrapped around. */
    private static boolean next(long[] idx, long[] shape) {
        for (int i = idx.length - 1; i >= 0; i--) {
            if (++idx[i] < shape[i]) {
                return true;
            }
            idx[i] = 0;
        }
        return false;
    }

    private interface Visit {
        void at(long[] idx);
    }

    private static void forEach(long[] shape, Visit v) {
        for (long d : shape) {
            if (d == 0) {
                return;
            }
        }
        long[] idx = new long[shape.length];
        do {
            v.at(idx);
        } while (next(idx, shape));
    }

    // ---- kernels ----

    @Override
    public void copy(Operand dst, Operand src) {
        forEach(dst.shape(), i -> {
            if (dst.dtype() == DType.BOOL) {
                setL(dst, i, isTrue(src, i) ? 1 : 0);
            } else if (floating(src)) {
                setD(dst, i, getD(src, i));
            } else {
                setL(dst, i, getL(src, i));
            }
        });
    }

    @Override
    public void fill(Operand dst, Number value) {
        boolean integral =
                value instanceof Long || value instanceof Integer || value instanceof Short || value instanceof Byte;
        forEach(dst.shape(), i -> {
            if (floating(dst) && integral) {
                setL(dst, i, value.longValue()); // one rounding, long to float, as C casts; not two through double
            } else if (floating(dst)) {
                setD(dst, i, value.doubleValue());
            } else if (dst.dtype() == DType.BOOL) {
                setL(dst, i, value.doubleValue() != 0 ? 1 : 0);
            } else {
                setL(
                        dst,
                        i,
                        value instanceof Double || value instanceof Float
                                ? (long) value.doubleValue()
                                : value.longValue());
            }
        });
    }

    @Override
    public void unary(UnaryOp op, Operand dst, Operand src) {
        forEach(dst.shape(), i -> {
            if (op == UnaryOp.LOGICAL_NOT) {
                setL(dst, i, isTrue(src, i) ? 0 : 1);
            } else if (floating(src)) {
                setD(dst, i, unaryD(op, getD(src, i), src.dtype() == DType.FLOAT32));
            } else {
                setL(dst, i, unaryL(op, getL(src, i)));
            }
        });
    }

    /** {@code exp(x)} rounded to float32 when {@code single}: where the SPI has it so, it overflows as the dtype does. */
    private static double expIn(double x, boolean single) {
        return single ? (float) Math.exp(x) : Math.exp(x);
    }

    /**
     * In double precision, rounded once to the dtype by the caller; where the SPI defines an intermediate as computed
     * in the operand's dtype (GELU's scaled argument), {@code single} says that dtype is float32.
     */
    private static double unaryD(UnaryOp op, double x, boolean single) {
        switch (op) {
            case NEG:
                return -x;
            case ABS:
                return Math.abs(x);
            case SIGN:
                return (0 < x ? 1 : 0) - (x < 0 ? 1 : 0);
            case RELU:
                return x < 0 ? 0 : x;
            case EXP:
                return Math.exp(x);
            case LOG:
                return Math.log(x);
            case SQRT:
                return Math.sqrt(x);
            case RSQRT:
                return 1 / Math.sqrt(x);
            case RECIPROCAL:
                return 1 / x;
            case SIN:
                return Math.sin(x);
            case COS:
                return Math.cos(x);
            case TANH:
                return Math.tanh(x);
            case SIGMOID:
                return 1 / (1 + Math.exp(-x));
            case ERF:
                return ReferenceMath.erf(x);
            case GELU: {
                double t = single ? -(float) x * (float) UnaryOp.GELU_SCALE : -x * UnaryOp.GELU_SCALE;
                return 0.5 * x * ReferenceMath.erfc(t);
            }
            case GELU_TANH: {
                double u = single
                        ? (float) UnaryOp.GELU_TANH_SCALE
                                * ((float) x + (float) UnaryOp.GELU_TANH_CUBIC * ((float) x * (float) x * (float) x))
                        : UnaryOp.GELU_TANH_SCALE * (x + UnaryOp.GELU_TANH_CUBIC * (x * x * x));
                return x / (1 + expIn(-2 * u, single));
            }
            case SILU:
                return x / (1 + expIn(-x, single));
            default:
                throw new IllegalArgumentException(op + " on floating point");
        }
    }

    private static long unaryL(UnaryOp op, long x) {
        switch (op) {
            case NEG:
                return -x;
            case ABS:
                return Math.abs(x);
            case SIGN:
                return Long.signum(x);
            case RELU:
                return Math.max(x, 0);
            default:
                throw new IllegalArgumentException(op + " on integers");
        }
    }

    @Override
    public void binary(BinaryOp op, Operand dst, Operand a, Operand b) {
        forEach(dst.shape(), i -> {
            if (floating(a)) {
                double x = getD(a, i);
                double y = getD(b, i);
                if (op.producesBool()) {
                    setL(dst, i, compare(op, Double.compare(x, y), Double.isNaN(x) || Double.isNaN(y), x == y) ? 1 : 0);
                } else {
                    setD(dst, i, binaryD(op, x, y));
                }
            } else {
                long x = getL(a, i);
                long y = getL(b, i);
                if (op == BinaryOp.LOGICAL_AND || op == BinaryOp.LOGICAL_OR) {
                    setL(dst, i, binaryL(op, x, y));
                } else if (op.producesBool()) {
                    setL(dst, i, compare(op, Long.compare(x, y), false, x == y) ? 1 : 0);
                } else {
                    setL(dst, i, binaryL(op, x, y));
                }
            }
        });
    }

    private static boolean compare(BinaryOp op, int cmp, boolean nan, boolean equal) {
        switch (op) {
            case EQ:
                return !nan && equal;
            case NE:
                return nan || !equal;
            case LT:
                return !nan && cmp < 0 && !equal;
            case LE:
                return !nan && (cmp < 0 || equal);
            case GT:
                return !nan && cmp > 0 && !equal;
            case GE:
                return !nan && (cmp > 0 || equal);
            case LOGICAL_AND:
                throw new IllegalArgumentException("logical and of floating-point operands");
            default:
                throw new IllegalArgumentException(op.toString());
        }
    }

    private static double binaryD(BinaryOp op, double x, double y) {
        switch (op) {
            case LEAKY_RELU:
                return x > 0 ? x : x * y;
            case ADD:
                return x + y;
            case SUB:
                return x - y;
            case MUL:
                return x * y;
            case DIV:
                return x / y;
            case POW:
                return x == 1 || (x == -1 && Double.isInfinite(y)) ? 1 : Math.pow(x, y); // C's pow, not Java's
            case MAXIMUM:
                return Double.isNaN(x) || Double.isNaN(y) ? Double.NaN : x < y ? y : x;
            case MINIMUM:
                return Double.isNaN(x) || Double.isNaN(y) ? Double.NaN : x > y ? y : x;
            default:
                throw new IllegalArgumentException(op.toString());
        }
    }

    private static long binaryL(BinaryOp op, long x, long y) {
        switch (op) {
            case ADD:
                return x + y;
            case SUB:
                return x - y;
            case MUL:
                return x * y;
            case POW:
                return powL(x, y);
            case MAXIMUM:
                return x < y ? y : x;
            case MINIMUM:
                return x > y ? y : x;
            case LOGICAL_AND:
                return x != 0 && y != 0 ? 1 : 0;
            case LOGICAL_OR:
                return x != 0 || y != 0 ? 1 : 0;
            default:
                throw new IllegalArgumentException(op + " on integers");
        }
    }

    private static long powL(long base, long exp) {
        if (exp < 0) {
            if (base == 1) {
                return 1;
            }
            if (base == -1) {
                return (exp & 1) == 0 ? 1 : -1;
            }
            return 0;
        }
        long r = 1;
        for (long e = 0; e < exp; e++) {
            r *= base;
        }
        return r;
    }

    @Override
    public void where(Operand dst, Operand condition, Operand a, Operand b) {
        forEach(dst.shape(), i -> {
            Operand pick = isTrue(condition, i) ? a : b;
            if (floating(pick)) {
                setD(dst, i, getD(pick, i));
            } else {
                setL(dst, i, getL(pick, i));
            }
        });
    }

    @Override
    public void reduce(ReduceOp op, Operand dst, Operand src) {
        int kept = dst.rank();
        long[] inner = java.util.Arrays.copyOfRange(src.shape(), kept, src.rank());
        forEach(dst.shape(), o -> {
            long[] idx = new long[src.rank()];
            System.arraycopy(o, 0, idx, 0, kept);
            long[] r = new long[inner.length];
            double accD = op == ReduceOp.PROD ? 1 : 0;
            long accL = op == ReduceOp.PROD ? 1 : 0;
            long best = -1;
            double bestD = 0;
            long bestL = 0;
            long pos = 0;
            boolean any = false;
            boolean empty = false;
            for (long d : inner) {
                empty |= d == 0;
            }
            while (!empty) {
                System.arraycopy(r, 0, idx, kept, r.length);
                double vd = getD(src, idx);
                long vl = getL(src, idx);
                boolean fl = floating(src);
                switch (op) {
                    case SUM:
                        accD += vd;
                        accL += vl;
                        break;
                    case PROD:
                        accD *= vd;
                        accL *= vl;
                        break;
                    default:
                        boolean better;
                        if (!any) {
                            better = true;
                        } else if (fl) {
                            boolean max = op == ReduceOp.MAX || op == ReduceOp.ARGMAX;
                            better = !Double.isNaN(bestD) && (Double.isNaN(vd) || (max ? vd > bestD : vd < bestD));
                        } else {
                            boolean max = op == ReduceOp.MAX || op == ReduceOp.ARGMAX;
                            better = max ? vl > bestL : vl < bestL;
                        }
                        if (better) {
                            bestD = vd;
                            bestL = vl;
                            best = pos;
                        }
                        any = true;
                }
                pos++;
                if (!next(r, inner)) {
                    break;
                }
            }
            switch (op) {
                case SUM:
                case PROD:
                    if (floating(dst)) {
                        setD(dst, o, accD);
                    } else {
                        setL(dst, o, accL);
                    }
                    break;
                case MAX:
                case MIN:
                    if (floating(dst)) {
                        setD(dst, o, bestD);
                    } else {
                        setL(dst, o, bestL);
                    }
                    break;
                default:
                    setL(dst, o, best);
            }
        });
    }

    @Override
    public void matmul(Operand dst, Operand a, Operand b) {
        long k = a.shape()[2];
        forEach(dst.shape(), i -> {
            double accD = 0;
            long accL = 0;
            for (long kk = 0; kk < k; kk++) {
                long[] ia = {i[0], i[1], kk};
                long[] ib = {i[0], kk, i[2]};
                accD += getD(a, ia) * getD(b, ib);
                accL += getL(a, ia) * getL(b, ib);
            }
            if (floating(dst)) {
                setD(dst, i, accD);
            } else {
                setL(dst, i, accL);
            }
        });
    }
}
