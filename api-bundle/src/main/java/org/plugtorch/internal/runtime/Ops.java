package org.plugtorch.internal.runtime;

import static org.plugtorch.internal.runtime.Tensors.impl;
import static org.plugtorch.spi.Preconditions.checkArgument;

import java.lang.ref.Reference;
import java.util.Arrays;
import java.util.concurrent.locks.Lock;
import org.plugtorch.DType;
import org.plugtorch.Device;
import org.plugtorch.Tensor;
import org.plugtorch.spi.Backend;
import org.plugtorch.spi.BinaryOp;
import org.plugtorch.spi.DeviceBuffer;
import org.plugtorch.spi.HostBuffer;
import org.plugtorch.spi.OpDomain;
import org.plugtorch.spi.Operand;
import org.plugtorch.spi.ReduceOp;
import org.plugtorch.spi.UnaryOp;

/**
 * Everything between the {@link Tensor} API and a {@link Backend}: device checks, type promotion, broadcasting,
 * allocation of results, moves between devices. Backends only ever see same-device, same-shape, already-cast
 * operands. Each operation runs inside the registry's gate ({@link Registry#operations()}), so that a backend leaving
 * waits for it and it never sees a buffer moved under it.
 */
public final class Ops {
    private Ops() {}

    // ---- allocation and devices ----

    public static Tensor empty(long[] shape, DType dtype, Device device) {
        Lock gate = Registry.operations();
        gate.lock();
        try {
            return emptyNow(shape, dtype, device);
        } finally {
            gate.unlock();
        }
    }

    private static Tensor emptyNow(long[] shape, DType dtype, Device device) {
        Shapes.checkShape(shape);
        long n = Shapes.numel(shape);
        Storage storage;
        if (device.isCpu()) {
            storage = Storage.host(HostBuffer.allocate(dtype, n));
        } else {
            Backend b = Registry.forDevice(device);
            checkDType(b, device, dtype);
            storage = new Storage(b.allocate(device, dtype, n), b);
        }
        return Tensors.create(storage, 0, shape.clone(), Shapes.contiguous(shape));
    }

    /**
     * Runs {@code body} inside the gate, so that the devices it reads and the operations it runs on them see one
     * state of the registry: a backend that leaves waits for it, instead of leaving between a device read and an
     * allocation there. The gate is reentrant; the body must not add or remove a backend.
     */
    public static <T> T atomically(java.util.function.Supplier<T> body) {
        Lock gate = Registry.operations();
        gate.lock();
        try {
            return body.get();
        } finally {
            gate.unlock();
        }
    }

    /** A tensor of {@code shape} filled with {@code value}, with {@code like}'s dtype and device as they are now. */
    public static Tensor fullLike(long[] shape, Number value, Tensor like) {
        Lock gate = Registry.operations();
        gate.lock();
        try {
            Tensor t = emptyNow(shape, like.dtype(), like.device());
            if (value.doubleValue() != 0 || Double.doubleToRawLongBits(value.doubleValue()) != 0) {
                fillNow(t, value);
            }
            return t;
        } finally {
            gate.unlock();
        }
    }

    /** A zero-dimensional float64 CPU tensor standing for a Java number in an operation (a "wrapped number"). */
    public static Tensor number(double value) {
        return Tensors.create(Storage.host(HostBuffer.wrap(new double[] {value})), 0, new long[0], new long[0]);
    }

    /** A zero-dimensional int64 CPU tensor standing for a Java integer in an operation. */
    public static Tensor number(long value) {
        return Tensors.create(Storage.host(HostBuffer.wrap(new long[] {value})), 0, new long[0], new long[0]);
    }

    public static void checkDType(Backend b, Device device, DType dtype) {
        checkArgument(
                b.dtypes().contains(dtype),
                () -> "device '" + device + "' does not support dtype " + dtype + " (its backend supports " + b.dtypes()
                        + ")");
    }

    public static Backend backend(Tensor t) {
        return Registry.forDevice(t.device());
    }

    public static Operand operand(Tensor t) {
        TensorImpl i = impl(t);
        return new Operand(i.storage.buffer(), i.offset, i.shape, i.strides);
    }

    /** t viewed with the shape {@code shape} it broadcasts to. */
    public static Operand operand(Tensor t, long[] shape) {
        TensorImpl i = impl(t);
        if (Arrays.equals(i.shape, shape)) {
            return new Operand(i.storage.buffer(), i.offset, i.shape, i.strides);
        }
        return new Operand(i.storage.buffer(), i.offset, shape, Shapes.expandStrides(i.shape, i.strides, shape));
    }

    /**
     * The device of an operation over {@code ts}: they must agree, except that a zero-dimensional CPU tensor
     * (a scalar) may join an operation on any device, as in PyTorch.
     */
    public static Device commonDevice(Tensor... ts) {
        Device common = null;
        for (Tensor t : ts) {
            if (t.device().isCpu() && t.dim() == 0) {
                continue;
            }
            if (common == null) {
                common = t.device();
            } else if (!common.equals(t.device())) {
                throw mismatch(common, t.device());
            }
        }
        return common == null ? Device.CPU : common;
    }

    public static IllegalArgumentException mismatch(Device a, Device b) {
        return new IllegalArgumentException(
                "Expected all tensors to be on the same device, but found at least two devices, " + a + " and " + b
                        + "!");
    }

    /** The contiguous copy of {@code t} on {@code device} (t itself when it is already there). */
    public static Tensor toDevice(Tensor t, Device device) {
        Lock gate = Registry.operations();
        gate.lock();
        try {
            return toDeviceNow(t, device);
        } finally {
            gate.unlock();
        }
    }

    private static Tensor toDeviceNow(Tensor t, Device device) {
        if (t.device().equals(device)) {
            return t;
        }
        Tensor src = t.isContiguous() ? t : contiguousNow(t);
        if (device.isCpu()) {
            // one copy into a new array where the backend can (Backend.copyOutNew), not a zero-fill and then a copy
            HostBuffer host = backend(src).copyOutNew(impl(src).storage.buffer(), impl(src).offset, src.numel());
            keep(src, t, null);
            return Tensors.create(Storage.host(host), 0, impl(t).shape.clone(), Shapes.contiguous(impl(t).shape));
        }
        Tensor out = emptyNow(impl(t).shape, t.dtype(), device);
        transfer(impl(src).storage.buffer(), impl(src).offset, impl(out).storage.buffer(), 0, src.numel());
        keep(src, t, out);
        return out;
    }

    /** Copies {@code count} elements between buffers of one dtype on any two devices. */
    public static void transfer(DeviceBuffer src, long srcOffset, DeviceBuffer dst, long dstOffset, long count) {
        if (count == 0) {
            return;
        }
        boolean srcHost = src instanceof HostBuffer;
        boolean dstHost = dst instanceof HostBuffer;
        if (srcHost && dstHost) {
            ((HostBuffer) dst).put(dstOffset, ((HostBuffer) src).nio(srcOffset, count));
        } else if (srcHost) {
            Registry.forDevice(dst.device()).copyIn(dst, dstOffset, ((HostBuffer) src).nio(srcOffset, count));
        } else if (dstHost) {
            Registry.forDevice(src.device()).copyOut(src, srcOffset, ((HostBuffer) dst).nio(dstOffset, count));
        } else {
            Backend from = Registry.forDevice(src.device());
            Backend to = Registry.forDevice(dst.device());
            if (from == to && from.copyBetween(dst, dstOffset, src, srcOffset, count)) {
                return;
            }
            HostBuffer staging = HostBuffer.allocate(src.dtype(), count);
            from.copyOut(src, srcOffset, staging.nio(0, count));
            to.copyIn(dst, dstOffset, staging.nio(0, count));
        }
    }

    /** A tensor on {@code device} with {@code dtype} holding t's values (t itself when nothing changes). */
    public static Tensor prepare(Tensor t, DType dtype, Device device) {
        Lock gate = Registry.operations();
        gate.lock();
        try {
            return prepareNow(t, dtype, device);
        } finally {
            gate.unlock();
        }
    }

    private static Tensor prepareNow(Tensor t, DType dtype, Device device) {
        Tensor on = t.device().equals(device) ? t : toDeviceNow(t, device);
        return on.dtype() == dtype ? on : castNow(on, dtype);
    }

    /** {@code t} with {@code like}'s dtype on {@code like}'s device as they are now (t itself when nothing changes). */
    public static Tensor prepareLike(Tensor t, Tensor like) {
        Lock gate = Registry.operations();
        gate.lock();
        try {
            return prepareNow(t, like.dtype(), like.device());
        } finally {
            gate.unlock();
        }
    }

    public static Tensor cast(Tensor t, DType dtype) {
        Lock gate = Registry.operations();
        gate.lock();
        try {
            return castNow(t, dtype);
        } finally {
            gate.unlock();
        }
    }

    private static Tensor castNow(Tensor t, DType dtype) {
        if (t.dtype() == dtype) {
            return t;
        }
        Tensor out = emptyNow(impl(t).shape, dtype, t.device());
        if (out.numel() > 0) {
            backend(t).copy(operand(out), operand(t));
            keep(t, out, null);
        }
        return out;
    }

    public static Tensor contiguous(Tensor t) {
        Lock gate = Registry.operations();
        gate.lock();
        try {
            return contiguousNow(t);
        } finally {
            gate.unlock();
        }
    }

    private static Tensor contiguousNow(Tensor t) {
        Tensor out = emptyNow(impl(t).shape, t.dtype(), t.device());
        if (out.numel() > 0) {
            backend(t).copy(operand(out), operand(t));
            keep(t, out, null);
        }
        return out;
    }

    /** {@code t} with a new shape: a view when the strides allow one, else a reshaped copy; records no history. */
    public static Tensor reshape(Tensor t, long... shape) {
        long[] s = Shapes.inferSize(shape, t.numel());
        Tensor v = Views.viewIfPossible(t, s);
        return v != null ? v : Views.view(contiguous(t), s);
    }

    // ---- type promotion (PyTorch's result_type) ----

    /**
     * The dtype of an operation over tensors; {@code wrapped[i]} marks a tensor that stands for a Java number.
     * Tensors with dimensions decide first, then zero-dimensional tensors, then numbers, and a lower tier only
     * counts when it is of a higher category (an int64 scalar does not widen an int32 tensor; a float scalar makes
     * an integer tensor float32).
     */
    public static DType resultType(Tensor[] ts, boolean[] wrapped) {
        DType dim = null;
        DType zero = null;
        DType num = null;
        for (int i = 0; i < ts.length; i++) {
            DType d = ts[i].dtype();
            if (wrapped[i]) {
                if (d.isFloatingPoint()) {
                    d = DType.FLOAT32;
                }
                num = num == null ? d : DType.promote(num, d);
            } else if (ts[i].dim() > 0) {
                dim = dim == null ? d : DType.promote(dim, d);
            } else {
                zero = zero == null ? d : DType.promote(zero, d);
            }
        }
        return combine(dim, combine(zero, num));
    }

    private static DType combine(DType higher, DType lower) {
        if (higher == null) {
            return lower;
        }
        if (lower == null || higher.isFloatingPoint()) {
            return higher;
        }
        if (higher == DType.BOOL || lower.isFloatingPoint()) {
            return DType.promote(higher, lower);
        }
        return higher;
    }

    public static String scalarTypeName(DType d) {
        switch (d) {
            case BOOL:
                return "Bool";
            case INT32:
                return "Int";
            case INT64:
                return "Long";
            case FLOAT32:
                return "Float";
            default:
                return "Double";
        }
    }

    // ---- kernels ----

    public static Tensor unary(UnaryOp op, Tensor x) {
        Lock gate = Registry.operations();
        gate.lock();
        try {
            return unaryNow(op, x);
        } finally {
            gate.unlock();
        }
    }

    private static Tensor unaryNow(UnaryOp op, Tensor x) {
        DType in = x.dtype();
        Tensor src = x;
        if (!op.domain().admits(in)) {
            if (op.domain() == OpDomain.FLOATING) {
                src = castNow(x, DType.FLOAT32); // PyTorch computes integer inputs of exp, sin, ... in float32
            } else if (op == UnaryOp.NEG) {
                throw new IllegalArgumentException("Negation, the `-` operator, on a bool tensor is not supported. "
                        + "If you are trying to invert a mask, use the `~` or `logical_not()` operator instead.");
            } else {
                throw new IllegalArgumentException(op.name().toLowerCase() + " is not supported for bool tensors");
            }
        }
        Tensor from = src;
        Tensor out = emptyNow(impl(x).shape, op.producesBool() ? DType.BOOL : src.dtype(), x.device());
        run(out, () -> backend(from).unary(op, operand(out), operand(from)));
        keep(from, x, out);
        return out;
    }

    public static Tensor binary(BinaryOp op, Tensor a, Tensor b, boolean bWrapped) {
        Lock gate = Registry.operations();
        gate.lock();
        try {
            return binaryNow(op, a, b, bWrapped);
        } finally {
            gate.unlock();
        }
    }

    private static Tensor binaryNow(BinaryOp op, Tensor a, Tensor b, boolean bWrapped) {
        Device device = commonDevice(a, b);
        DType common = computeType(op, a, b, bWrapped);
        long[] shape = Shapes.broadcast(impl(a).shape, impl(b).shape);
        Tensor ac = prepareNow(a, common, device);
        Tensor bc = prepareNow(b, common, device);
        Tensor out = emptyNow(shape, op.producesBool() ? DType.BOOL : common, device);
        if (out.numel() > 0) {
            Registry.forDevice(device).binary(op, operand(out), operand(ac, shape), operand(bc, shape));
            keep(ac, bc, out);
            keep(a, b, null);
        }
        return out;
    }

    /** {@code self = self op other}, PyTorch's in-place semantics: other broadcasts to self, the result casts to self's dtype. */
    public static void binaryInPlace(BinaryOp op, Tensor self, Tensor other, boolean otherWrapped) {
        Lock gate = Registry.operations();
        gate.lock();
        try {
            binaryInPlaceNow(op, self, other, otherWrapped);
        } finally {
            gate.unlock();
        }
    }

    private static void binaryInPlaceNow(BinaryOp op, Tensor self, Tensor other, boolean otherWrapped) {
        Device device = commonDevice(self, other);
        if (!device.equals(self.device())) {
            throw mismatch(self.device(), other.device());
        }
        DType common = computeType(op, self, other, otherWrapped);
        checkArgument(
                common.category().ordinal() <= self.dtype().category().ordinal(),
                () -> "result type " + scalarTypeName(common) + " can't be cast to the desired output type "
                        + scalarTypeName(self.dtype()));
        long[] shape = Shapes.broadcast(impl(self).shape, impl(other).shape);
        checkArgument(
                Arrays.equals(shape, impl(self).shape),
                () -> "output with shape " + Shapes.list(impl(self).shape) + " doesn't match the broadcast shape "
                        + Shapes.list(shape));
        Tensor oc = prepareNow(other, common, device);
        if (impl(oc).storage == impl(self).storage && oc != self) {
            oc = contiguousNow(oc);
        }
        Backend backend = Registry.forDevice(device);
        if (self.numel() == 0) {
            return;
        }
        if (common == self.dtype()) {
            backend.binary(op, operand(self), operand(self), operand(oc, shape));
            keep(self, oc, other);
        } else {
            Tensor sc = castNow(self, common);
            Tensor tmp = emptyNow(shape, common, device);
            backend.binary(op, operand(tmp), operand(sc), operand(oc, shape));
            backend.copy(operand(self), operand(tmp));
            keep(sc, tmp, oc);
            keep(self, other, null);
        }
    }

    /**
     * {@code self += alpha * other} in one backend pass, when both are float32 or both float64, of one shape, on one
     * device, in different storages, and the backend provides the pass; false, having done nothing, when the
     * caller must run the scaled copy and the add (which give the same values, and the same errors).
     */
    public static boolean addScaledInPlace(Tensor self, Tensor other, double alpha) {
        DType t = self.dtype();
        if ((t != DType.FLOAT32 && t != DType.FLOAT64)
                || other.dtype() != t
                || impl(other).storage == impl(self).storage
                || !Arrays.equals(impl(self).shape, impl(other).shape)
                || self.numel() == 0) {
            return false;
        }
        Lock gate = Registry.operations();
        gate.lock();
        try {
            Device device = self.device();
            boolean done = device.equals(other.device())
                    && Registry.forDevice(device).addScaled(operand(self), operand(self), operand(other), alpha);
            keep(self, other, null);
            return done;
        } finally {
            gate.unlock();
        }
    }

    private static DType computeType(BinaryOp op, Tensor a, Tensor b, boolean bWrapped) {
        if (op.domain() == OpDomain.BOOL) {
            return DType.BOOL;
        }
        // one dtype on both sides is its own result type, whatever the tiers
        DType common =
                a.dtype() == b.dtype() ? a.dtype() : resultType(new Tensor[] {a, b}, new boolean[] {false, bWrapped});
        if (op.domain() == OpDomain.FLOATING && !common.isFloatingPoint()) {
            return DType.FLOAT32; // true division of integers, as in PyTorch
        }
        checkArgument(
                common != DType.BOOL || op != BinaryOp.SUB,
                "Subtraction, the `-` operator, with two bool tensors is not supported. "
                        + "Use the `^` or `logical_xor()` operator instead.");
        checkArgument(
                !(op == BinaryOp.POW && bWrapped && !common.isFloatingPoint() && b.itemLong() < 0),
                "Integers to negative integer powers are not allowed.");
        return common;
    }

    public static Tensor where(Tensor condition, Tensor a, Tensor b) {
        Lock gate = Registry.operations();
        gate.lock();
        try {
            return whereNow(condition, a, b);
        } finally {
            gate.unlock();
        }
    }

    private static Tensor whereNow(Tensor condition, Tensor a, Tensor b) {
        Device device = commonDevice(condition, a, b);
        DType common = resultType(new Tensor[] {a, b}, new boolean[2]);
        long[] shape = Shapes.broadcast(Shapes.broadcast(impl(condition).shape, impl(a).shape), impl(b).shape);
        Tensor c = prepareNow(condition, DType.BOOL, device);
        Tensor ac = prepareNow(a, common, device);
        Tensor bc = prepareNow(b, common, device);
        Tensor out = emptyNow(shape, common, device);
        run(
                out,
                () -> Registry.forDevice(device)
                        .where(operand(out), operand(c, shape), operand(ac, shape), operand(bc, shape)));
        keep(c, ac, bc);
        keep(condition, a, b);
        return out;
    }

    /** {@code dst.copy_(src)}: broadcast, cast, and cross devices. */
    public static void copyInto(Tensor dst, Tensor src) {
        Lock gate = Registry.operations();
        gate.lock();
        try {
            copyIntoNow(dst, src);
        } finally {
            gate.unlock();
        }
    }

    private static void copyIntoNow(Tensor dst, Tensor src) {
        Shapes.expandStrides(impl(src).shape, impl(src).strides, impl(dst).shape);
        Tensor s = src.device().equals(dst.device()) ? src : toDeviceNow(src, dst.device());
        TensorImpl si = impl(s);
        TensorImpl di = impl(dst);
        if (si.storage == di.storage
                && !(si.offset == di.offset
                        && Arrays.equals(si.strides, di.strides)
                        && Arrays.equals(si.shape, di.shape))) {
            s = contiguousNow(s);
        }
        if (dst.numel() == 0) {
            return;
        }
        Tensor from = s;
        backend(dst).copy(operand(dst), operand(from, impl(dst).shape));
        keep(from, src, dst);
    }

    public static void fill(Tensor dst, Number value) {
        Lock gate = Registry.operations();
        gate.lock();
        try {
            fillNow(dst, value);
        } finally {
            gate.unlock();
        }
    }

    private static void fillNow(Tensor dst, Number value) {
        if (dst.numel() > 0) {
            backend(dst).fill(operand(dst), value);
            keep(dst, null, null);
        }
    }

    /**
     * Reduces {@code x} over {@code dims} (all when empty). The reduced dimensions are permuted to the end (a free
     * view) so that the backend always reduces trailing dimensions.
     */
    public static Tensor reduce(ReduceOp op, Tensor x, int[] dims, boolean keepdim, DType outType) {
        Lock gate = Registry.operations();
        gate.lock();
        try {
            return reduceNow(op, x, dims, keepdim, outType);
        } finally {
            gate.unlock();
        }
    }

    private static Tensor reduceNow(ReduceOp op, Tensor x, int[] dims, boolean keepdim, DType outType) {
        int rank = x.dim();
        boolean[] reduced = reducedMask(dims, rank);
        int kept = 0;
        for (boolean r : reduced) {
            kept += r ? 0 : 1;
        }
        int[] order = new int[rank];
        int k = 0;
        for (int i = 0; i < rank; i++) {
            if (!reduced[i]) {
                order[k++] = i;
            }
        }
        for (int i = 0; i < rank; i++) {
            if (reduced[i]) {
                order[k++] = i;
            }
        }
        long[] pShape = new long[rank];
        long[] pStrides = new long[rank];
        for (int i = 0; i < rank; i++) {
            pShape[i] = impl(x).shape[order[i]];
            pStrides[i] = impl(x).strides[order[i]];
        }
        long[] outShape = Arrays.copyOf(pShape, kept);
        long count = 1;
        for (int i = kept; i < rank; i++) {
            count *= pShape[i];
        }
        checkArgument(
                count != 0 || op == ReduceOp.SUM || op == ReduceOp.PROD,
                () -> reductionName(op) + "(): Expected reduction dim to be specified for "
                        + "input.numel() == 0. Specify the reduction dim with the 'dim' argument.");
        Tensor src = x.dtype() == outType || op == ReduceOp.ARGMAX || op == ReduceOp.ARGMIN ? x : castNow(x, outType);
        Tensor out = emptyNow(outShape, outType, x.device());
        Operand in = new Operand(
                impl(src).storage.buffer(), impl(src).offset, pShape, src == x ? pStrides : permuted(src, order));
        run(out, () -> backend(src).reduce(op, operand(out), in));
        keep(src, x, out);
        if (keepdim) {
            long[] kshape = impl(x).shape.clone();
            for (int i = 0; i < rank; i++) {
                if (reduced[i]) {
                    kshape[i] = 1;
                }
            }
            return Views.view(out, kshape);
        }
        return out;
    }

    private static long[] permuted(Tensor t, int[] order) {
        long[] s = new long[order.length];
        for (int i = 0; i < order.length; i++) {
            s[i] = impl(t).strides[order[i]];
        }
        return s;
    }

    public static boolean[] reducedMask(int[] dims, int rank) {
        boolean[] reduced = new boolean[rank];
        if (dims.length == 0) {
            Arrays.fill(reduced, true);
            return reduced;
        }
        for (int d : dims) {
            int w = Shapes.wrapDim(d, rank);
            if (rank == 0) {
                continue;
            }
            checkArgument(!reduced[w], () -> "dim " + w + " appears multiple times in the list of dims");
            reduced[w] = true;
        }
        return reduced;
    }

    private static String reductionName(ReduceOp op) {
        return op.name().toLowerCase();
    }

    /** PyTorch's matmul: dot, matrix-vector, matrix-matrix and broadcast batched products. */
    public static Tensor matmul(Tensor a, Tensor b) {
        Lock gate = Registry.operations();
        gate.lock();
        try {
            return matmulNow(a, b);
        } finally {
            gate.unlock();
        }
    }

    private static Tensor matmulNow(Tensor a, Tensor b) {
        Device device = commonDevice(a, b);
        checkArgument(
                a.dim() != 0 && b.dim() != 0,
                () -> "both arguments to matmul need to be at least 1D, but they are " + a.dim() + "D and " + b.dim()
                        + "D");
        checkArgument(
                a.dtype() == b.dtype(),
                () -> "expected scalar type " + scalarTypeName(a.dtype()) + " but found " + scalarTypeName(b.dtype()));
        if (a.dtype() == DType.BOOL) {
            // PyTorch has no bool matrix product either (it fails inside its CPU kernel); say so before any kernel runs
            throw new IllegalArgumentException("matmul is not defined for bool tensors; convert them first, "
                    + "for instance with to(DType.INT64)");
        }
        if (a.dim() == 1 && b.dim() == 1) {
            checkArgument(
                    impl(a).shape[0] == impl(b).shape[0],
                    () -> "inconsistent tensor size, expected tensor [" + impl(a).shape[0]
                            + "] and src [" + impl(b).shape[0] + "] to have the same number of elements, but got "
                            + impl(a).shape[0]
                            + " and " + impl(b).shape[0] + " elements respectively");
            return Views.view(
                    bmm(Views.view(a, 1, 1, impl(a).shape[0]), Views.view(b, 1, impl(b).shape[0], 1), device));
        }
        if (a.dim() == 2 && b.dim() == 2) {
            return mm(a, b, device);
        }
        Tensor a2 = a.dim() == 1 ? Views.unsqueeze(a, 0) : a;
        Tensor b2 = b.dim() == 1 ? Views.unsqueeze(b, 1) : b;
        long m = impl(a2).shape[a2.dim() - 2];
        long ka = impl(a2).shape[a2.dim() - 1];
        long kb = impl(b2).shape[b2.dim() - 2];
        long n = impl(b2).shape[b2.dim() - 1];
        if (ka != kb) {
            checkArgument(
                    a2.dim() != 2 || b2.dim() != 2,
                    () -> "mat1 and mat2 shapes cannot be multiplied (" + m + "x" + ka + " and " + kb + "x" + n + ")");
            throw new IllegalArgumentException("Expected size for first two dimensions of batch2 tensor to be: ["
                    + batchSize(b2) + ", " + ka + "] but got: [" + batchSize(b2) + ", " + kb + "].");
        }
        long[] batchA = Arrays.copyOf(impl(a2).shape, a2.dim() - 2);
        long[] batchB = Arrays.copyOf(impl(b2).shape, b2.dim() - 2);
        long[] batch = Shapes.broadcast(batchA, batchB);
        long bsz = Shapes.numel(batch);
        Tensor a3 = reshape(Views.expand(a2, concat(batch, m, ka)), bsz, m, ka);
        Tensor b3 = reshape(Views.expand(b2, concat(batch, kb, n)), bsz, kb, n);
        Tensor out = bmm(a3, b3, device);
        long[] outShape = concat(batch, m, n);
        if (a.dim() == 1) {
            outShape = Shapes.remove(outShape, outShape.length - 2);
        }
        if (b.dim() == 1) {
            outShape = Shapes.remove(outShape, outShape.length - 1);
        }
        return Views.view(out, outShape);
    }

    /**
     * A matrix product of two matrices: the backend's batched product over one batch item, with the operands seen
     * as rank 3 (their batch stride is that of a contiguous batch of one, as a reshape would give).
     */
    private static Tensor mm(Tensor a, Tensor b, Device device) {
        long m = impl(a).shape[0];
        long k = impl(a).shape[1];
        long n = impl(b).shape[1];
        checkArgument(
                k == impl(b).shape[0],
                () -> "mat1 and mat2 shapes cannot be multiplied (" + m + "x" + k + " and " + impl(b).shape[0] + "x" + n
                        + ")");
        Tensor out = emptyNow(new long[] {m, n}, a.dtype(), device);
        if (out.numel() > 0) {
            Registry.forDevice(device)
                    .matmul(
                            new Operand(impl(out).storage.buffer(), 0, new long[] {1, m, n}, new long[] {m * n, n, 1}),
                            batchOfOne(a),
                            batchOfOne(b));
            keep(a, b, out);
        }
        return out;
    }

    /** {@code t} as a batch of one matrix; any batch stride addresses the same elements, this one is its extent. */
    private static Operand batchOfOne(Tensor t) {
        TensorImpl i = impl(t);
        long[] s = i.strides;
        long batchStride = i.shape[0] * s[0] == 0 ? i.shape[1] * s[1] : i.shape[0] * s[0];
        return new Operand(i.storage.buffer(), i.offset, new long[] {1, i.shape[0], i.shape[1]}, new long[] {
            batchStride, s[0], s[1]
        });
    }

    /**
     * {@code input + mat1 @ mat2} for matrices with {@code input} of the product's dtype: the bias is added into the product in place, as PyTorch's {@code addmm}
     * writes one result.
     */
    public static Tensor addmm(Tensor input, Tensor mat1, Tensor mat2) {
        Lock gate = Registry.operations();
        gate.lock();
        try {
            Tensor product = matmulNow(mat1, mat2);
            Shapes.expandStrides(impl(input).shape, impl(input).strides, impl(product).shape);
            binaryInPlaceNow(BinaryOp.ADD, product, input, false);
            return product;
        } finally {
            gate.unlock();
        }
    }

    private static long batchSize(Tensor t) {
        return Shapes.numel(Arrays.copyOf(impl(t).shape, t.dim() - 2));
    }

    private static Tensor bmm(Tensor a, Tensor b, Device device) {
        Tensor out = emptyNow(new long[] {impl(a).shape[0], impl(a).shape[1], impl(b).shape[2]}, a.dtype(), device);
        run(out, () -> Registry.forDevice(device).matmul(operand(out), operand(a), operand(b)));
        keep(a, b, out);
        return out;
    }

    private static long[] concat(long[] head, long x, long y) {
        long[] out = Arrays.copyOf(head, head.length + 2);
        out[head.length] = x;
        out[head.length + 1] = y;
        return out;
    }

    /**
     * Keeps tensors whose buffers a kernel was given reachable until it has returned. Once a tensor's last field is
     * read, the JIT may treat it as dead; a temporary (a cast, a moved number) would then be collected while the
     * kernel runs, and its storage's cleaner would free the device memory under it.
     */
    private static void keep(Object a, Object b, Object c) {
        Reference.reachabilityFence(a);
        Reference.reachabilityFence(b);
        Reference.reachabilityFence(c);
    }

    /** Runs a kernel unless its output is empty (backends never see zero-size outputs). */
    private static void run(Tensor out, Runnable kernel) {
        if (out.numel() > 0) {
            kernel.run();
        }
    }
}
