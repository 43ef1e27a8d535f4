package org.plugtorch;

import java.util.Arrays;
import org.plugtorch.spi.BinaryOp;
import org.plugtorch.spi.HostBuffer;
import org.plugtorch.spi.ReduceOp;
import org.plugtorch.spi.UnaryOp;

/**
 * An n-dimensional array on a device, with PyTorch's semantics: shape and strides, views that share storage,
 * broadcasting, type promotion, in-place variants (a trailing underscore, as in PyTorch: {@code add_}) and
 * PyTorch's printed form.
 *
 * <p><b>Identity.</b> A tensor object stays the same object when its data moves: {@link #setData} (PyTorch's
 * {@code t.data = ...}) re-points it at new storage, which is how {@code Module.to(device)} keeps every Parameter
 * and buffer the same Java object. Operations return new tensors, as in PyTorch.
 *
 * <p><b>Devices.</b> Every operand of an operation must be on one device, or the operation fails with PyTorch's
 * {@code Expected all tensors to be on the same device...}; nothing is ever copied silently. A zero-dimensional CPU
 * tensor may join an operation on any device (PyTorch's scalar rule). {@link #copy_} and {@link #to} are the explicit
 * moves.
 *
 * <p><b>Numbers.</b> Methods taking {@code long} behave as PyTorch does with a Python {@code int} (an int32 tensor
 * stays int32); methods taking {@code double} as with a Python {@code float} (an integer tensor becomes float32).
 */
public class Tensor {
    Storage storage;
    long offset;
    long[] shape;
    long[] strides;
    private boolean requiresGrad;
    private Tensor grad;

    Tensor(Storage storage, long offset, long[] shape, long[] strides) {
        this.storage = storage;
        this.offset = offset;
        this.shape = shape;
        this.strides = strides;
        storage.track(this);
    }

    /**
     * A new tensor object sharing {@code data}'s storage and view (for subclasses such as {@code Parameter}).
     *
     * @throws IllegalArgumentException when {@code requiresGrad} is asked of a tensor that is not floating point
     */
    protected Tensor(Tensor data, boolean requiresGrad) {
        this(data.storage, data.offset, data.shape, data.strides);
        requiresGrad_(requiresGrad);
    }

    // =====================================================================================================
    // Creation
    // =====================================================================================================

    /** Uninitialised in PyTorch; zero-filled here. float32 on the CPU. */
    public static Tensor empty(long... shape) {
        return zeros(shape);
    }

    /** float32 zeros on the CPU. */
    public static Tensor zeros(long... shape) {
        return Ops.empty(shape, DType.FLOAT32, Device.CPU);
    }

    public static Tensor zeros(long[] shape, DType dtype, Device device) {
        return full(shape, 0, dtype, device);
    }

    /** float32 ones on the CPU. */
    public static Tensor ones(long... shape) {
        return full(shape, 1, DType.FLOAT32, Device.CPU);
    }

    public static Tensor ones(long[] shape, DType dtype, Device device) {
        return full(shape, 1, dtype, device);
    }

    /** float32 on the CPU, every element {@code value}. */
    public static Tensor full(long[] shape, double value) {
        return full(shape, value, DType.FLOAT32, Device.CPU);
    }

    public static Tensor full(long[] shape, Number value, DType dtype, Device device) {
        Tensor t = Ops.empty(shape, dtype, device);
        boolean positiveZero = Double.doubleToRawLongBits(value.doubleValue()) == 0 && value.longValue() == 0;
        if (!positiveZero) {
            Ops.fill(t, value); // allocations are zero-filled already
        }
        return t;
    }

    /** {@code 0, 1, ..., end-1} as int64 on the CPU. */
    public static Tensor arange(long end) {
        return arange(0, end, 1);
    }

    /** {@code start, start+step, ...} below {@code end}, as int64 on the CPU. */
    public static Tensor arange(long start, long end, long step) {
        long n = arangeLength(start, end, step);
        long[] v = new long[Math.toIntExact(n)];
        for (int i = 0; i < v.length; i++) {
            v[i] = start + i * step;
        }
        return fromArray(v, n);
    }

    /** {@code start, start+step, ...} below {@code end}, as float32 on the CPU (PyTorch's default dtype). */
    public static Tensor arange(double start, double end, double step) {
        long n = arangeLength(start, end, step);
        float[] v = new float[Math.toIntExact(n)];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) (start + i * step);
        }
        return fromArray(v, n);
    }

    private static long arangeLength(double start, double end, double step) {
        if (step == 0) {
            throw new IllegalArgumentException("step must be nonzero");
        }
        if (!Double.isFinite(start) || !Double.isFinite(end)) {
            throw new IllegalArgumentException("unsupported range: " + start + " -> " + end);
        }
        if ((step > 0 && end < start) || (step < 0 && end > start)) {
            throw new IllegalArgumentException("upper bound and larger bound inconsistent with step sign");
        }
        return (long) Math.ceil((end - start) / step);
    }

    /** Uniform samples in [0, 1), float32 on the CPU, from the default generator. */
    public static Tensor rand(long... shape) {
        return rand(shape, DType.FLOAT32, Device.CPU, Generator.defaultGenerator());
    }

    public static Tensor rand(long[] shape, DType dtype, Device device, Generator generator) {
        return Ops.empty(shape, dtype, Device.CPU).uniformFrom(generator, 0, 1).to(device);
    }

    /** Standard normal samples, float32 on the CPU, from the default generator. */
    public static Tensor randn(long... shape) {
        return randn(shape, DType.FLOAT32, Device.CPU, Generator.defaultGenerator());
    }

    public static Tensor randn(long[] shape, DType dtype, Device device, Generator generator) {
        return Ops.empty(shape, dtype, Device.CPU).normalFrom(generator, 0, 1).to(device);
    }

    /** A 1-d float32 tensor holding a copy of {@code values}. */
    public static Tensor of(float... values) {
        return fromArray(values, values.length);
    }

    /** A 1-d float64 tensor holding a copy of {@code values}. */
    public static Tensor of(double... values) {
        return fromArray(values, values.length);
    }

    /** A 1-d int64 tensor. */
    public static Tensor of(long... values) {
        return fromArray(values, values.length);
    }

    /** A 1-d int32 tensor. */
    public static Tensor of(int... values) {
        return fromArray(values, values.length);
    }

    /** A 1-d bool tensor. */
    public static Tensor of(boolean... values) {
        return fromArray(values, values.length);
    }

    /** A 2-d float32 tensor from rows of equal length. */
    public static Tensor of(float[][] rows) {
        int cols = rows.length == 0 ? 0 : rows[0].length;
        float[] flat = new float[rows.length * cols];
        for (int i = 0; i < rows.length; i++) {
            if (rows[i].length != cols) {
                throw new IllegalArgumentException("expected sequence of length " + cols + " at dim 1 (got "
                        + rows[i].length + ")");
            }
            System.arraycopy(rows[i], 0, flat, i * cols, cols);
        }
        return fromArray(flat, rows.length, cols);
    }

    /** A 2-d float64 tensor from rows of equal length. */
    public static Tensor of(double[][] rows) {
        int cols = rows.length == 0 ? 0 : rows[0].length;
        double[] flat = new double[rows.length * cols];
        for (int i = 0; i < rows.length; i++) {
            if (rows[i].length != cols) {
                throw new IllegalArgumentException("expected sequence of length " + cols + " at dim 1 (got "
                        + rows[i].length + ")");
            }
            System.arraycopy(rows[i], 0, flat, i * cols, cols);
        }
        return fromArray(flat, rows.length, cols);
    }

    /** A float32 tensor of {@code shape} holding a copy of {@code data} in row-major order. */
    public static Tensor fromArray(float[] data, long... shape) {
        return fromHost(HostBuffer.wrap(data.clone()), shape);
    }

    public static Tensor fromArray(double[] data, long... shape) {
        return fromHost(HostBuffer.wrap(data.clone()), shape);
    }

    public static Tensor fromArray(long[] data, long... shape) {
        return fromHost(HostBuffer.wrap(data.clone()), shape);
    }

    public static Tensor fromArray(int[] data, long... shape) {
        return fromHost(HostBuffer.wrap(data.clone()), shape);
    }

    public static Tensor fromArray(boolean[] data, long... shape) {
        byte[] b = new byte[data.length];
        for (int i = 0; i < b.length; i++) {
            b[i] = (byte) (data[i] ? 1 : 0);
        }
        return fromHost(HostBuffer.wrapBool(b), shape);
    }

    private static Tensor fromHost(HostBuffer buffer, long[] shape) {
        Shapes.checkShape(shape);
        if (Shapes.numel(shape) != buffer.size()) {
            throw new IllegalArgumentException("shape '" + Shapes.list(shape) + "' is invalid for input of size "
                    + buffer.size());
        }
        return new Tensor(Storage.host(buffer), 0, shape.clone(), Shapes.contiguous(shape));
    }

    /** A zero-dimensional float32 tensor ({@code torch.tensor(2.5)}). */
    public static Tensor scalar(double value) {
        return fromArray(new float[] {(float) value});
    }

    /** A zero-dimensional int64 tensor ({@code torch.tensor(3)}). */
    public static Tensor scalar(long value) {
        return fromArray(new long[] {value});
    }

    /** A zero-dimensional bool tensor. */
    public static Tensor scalar(boolean value) {
        return fromArray(new boolean[] {value});
    }

    /** A zero-dimensional tensor of {@code dtype} standing for a Java number in an operation. */
    private Tensor number(double value) {
        return fromArray(new double[] {value});
    }

    private Tensor number(long value) {
        return fromArray(new long[] {value});
    }

    // =====================================================================================================
    // Properties
    // =====================================================================================================

    /** The shape (a copy). */
    public long[] shape() {
        return shape.clone();
    }

    /** The size of one dimension; negative dimensions count from the end. */
    public long size(int dim) {
        return shape[Shapes.wrapDim(dim, dim())];
    }

    /** The strides in elements (a copy). */
    public long[] stride() {
        return strides.clone();
    }

    /** The element offset of this view in its storage. */
    public long storageOffset() {
        return offset;
    }

    public int dim() {
        return shape.length;
    }

    public long numel() {
        return Shapes.numel(shape);
    }

    public DType dtype() {
        return storage.dtype();
    }

    /** The device this tensor's storage is on now. */
    public Device device() {
        return storage.device();
    }

    public boolean isContiguous() {
        return Shapes.isContiguous(shape, strides);
    }

    public boolean isFloatingPoint() {
        return dtype().isFloatingPoint();
    }

    /** True when this tensor and {@code other} share storage (one is a view of the other, or both of a third). */
    public boolean sharesStorageWith(Tensor other) {
        return storage == other.storage;
    }

    public boolean requiresGrad() {
        return requiresGrad;
    }

    /** Sets {@code requiresGrad} in place; returns this. Only floating-point tensors can require gradients. */
    public Tensor requiresGrad_(boolean requiresGrad) {
        if (requiresGrad && !isFloatingPoint()) {
            throw new IllegalArgumentException("only Tensors of floating point dtype can require gradients");
        }
        this.requiresGrad = requiresGrad;
        return this;
    }

    /** The accumulated gradient, or null. */
    public Tensor grad() {
        return grad;
    }

    /** Sets the gradient (null clears it); it must match this tensor's shape, dtype and device. */
    public void setGrad(Tensor grad) {
        if (grad != null) {
            if (grad.dtype() != dtype() || !grad.device().equals(device())) {
                throw new IllegalArgumentException("assigned grad has data of a different type");
            }
            if (!Arrays.equals(grad.shape, shape)) {
                throw new IllegalArgumentException("assigned grad has data of a different size");
            }
        }
        this.grad = grad;
    }

    // =====================================================================================================
    // Identity-keeping moves
    // =====================================================================================================

    /**
     * Re-points this tensor object at {@code data}'s storage and view (PyTorch's {@code t.data = data}): this object
     * now has data's shape, dtype and device, and shares data's storage. Views taken of this tensor before keep
     * the old storage.
     */
    public void setData(Tensor data) {
        if (requiresGrad && !data.isFloatingPoint()) {
            throw new IllegalArgumentException("data set to a tensor that requires gradients must be floating point or complex dtype");
        }
        this.storage = data.storage;
        this.offset = data.offset;
        this.shape = data.shape;
        this.strides = data.strides;
        data.storage.track(this);
    }

    /** A new tensor sharing this one's storage, detached from autograd ({@code t.data}). */
    public Tensor data() {
        return detach();
    }

    /** A new tensor sharing this one's storage, not requiring grad. */
    public Tensor detach() {
        return new Tensor(storage, offset, shape, strides);
    }

    /** A copy with its own storage, contiguous, on the same device. */
    public Tensor clone() {
        return Ops.contiguous(this);
    }

    /** This tensor on {@code device}: this object itself when already there, else a copy. */
    public Tensor to(Device device) {
        return Ops.toDevice(this, device);
    }

    /** {@code to(Device.parse(device))}. */
    public Tensor to(String device) {
        return to(Device.parse(device));
    }

    /** This tensor as {@code dtype}: this object itself when it already is, else a converted copy. */
    public Tensor to(DType dtype) {
        return Ops.cast(this, dtype);
    }

    public Tensor to(Device device, DType dtype) {
        return to(device).to(dtype);
    }

    /** {@code to(Device.CPU)}. */
    public Tensor cpu() {
        return to(Device.CPU);
    }

    /** This tensor when contiguous, else a contiguous copy. */
    public Tensor contiguous() {
        return isContiguous() ? this : Ops.contiguous(this);
    }

    // =====================================================================================================
    // Views (they share storage)
    // =====================================================================================================

    /** A view with a new shape (one -1 is inferred); fails when the strides do not allow it, as in PyTorch. */
    public Tensor view(long... newShape) {
        long[] s = Shapes.inferSize(newShape, numel());
        long[] st = Shapes.viewStrides(shape, strides, s);
        if (st == null) {
            throw new IllegalArgumentException("view size is not compatible with input tensor's size and stride (at "
                    + "least one dimension spans across two contiguous subspaces). Use .reshape(...) instead.");
        }
        return new Tensor(storage, offset, s, st);
    }

    /** A view when possible, else a copy with the new shape. */
    public Tensor reshape(long... newShape) {
        long[] s = Shapes.inferSize(newShape, numel());
        long[] st = Shapes.viewStrides(shape, strides, s);
        if (st != null) {
            return new Tensor(storage, offset, s, st);
        }
        return Ops.contiguous(this).view(s);
    }

    public Tensor flatten() {
        return flatten(0, -1);
    }

    public Tensor flatten(int startDim, int endDim) {
        if (dim() == 0) {
            return reshape(1);
        }
        int s = Shapes.wrapDim(startDim, dim());
        int e = Shapes.wrapDim(endDim, dim());
        if (s > e) {
            throw new IllegalArgumentException("flatten() has invalid args: start_dim cannot come after end_dim");
        }
        long[] ns = new long[dim() - (e - s)];
        int k = 0;
        for (int i = 0; i < s; i++) {
            ns[k++] = shape[i];
        }
        long m = 1;
        for (int i = s; i <= e; i++) {
            m *= shape[i];
        }
        ns[k++] = m;
        for (int i = e + 1; i < dim(); i++) {
            ns[k++] = shape[i];
        }
        return reshape(ns);
    }

    /** Swaps two dimensions (a view). */
    public Tensor transpose(int dim0, int dim1) {
        int a = Shapes.wrapDim(dim0, dim());
        int b = Shapes.wrapDim(dim1, dim());
        long[] s = shape.clone();
        long[] st = strides.clone();
        s[a] = shape[b];
        s[b] = shape[a];
        st[a] = strides[b];
        st[b] = strides[a];
        return new Tensor(storage, offset, s, st);
    }

    /** The transpose of a matrix (0-d and 1-d tensors are returned as they are, as views). */
    public Tensor t() {
        if (dim() > 2) {
            throw new IllegalArgumentException("t() expects a tensor with <= 2 dimensions, but self is " + dim() + "D");
        }
        return dim() < 2 ? detachedView() : transpose(0, 1);
    }

    private Tensor detachedView() {
        return new Tensor(storage, offset, shape, strides);
    }

    /** Reorders the dimensions (a view). */
    public Tensor permute(int... dims) {
        if (dims.length != dim()) {
            throw new IllegalArgumentException("permute(sparse_coo): number of dimensions in the tensor input does not "
                    + "match the length of the desired ordering of dimensions i.e. input.dim() = " + dim()
                    + " is not equal to len(dims) = " + dims.length);
        }
        long[] s = new long[dims.length];
        long[] st = new long[dims.length];
        boolean[] seen = new boolean[dims.length];
        for (int i = 0; i < dims.length; i++) {
            int d = Shapes.wrapDim(dims[i], dim());
            if (seen[d]) {
                throw new IllegalArgumentException("permute(): duplicate dims are not allowed.");
            }
            seen[d] = true;
            s[i] = shape[d];
            st[i] = strides[d];
        }
        return new Tensor(storage, offset, s, st);
    }

    /** Inserts a dimension of size 1 (a view). */
    public Tensor unsqueeze(int dim) {
        int d = Shapes.wrapDim(dim, dim() + 1);
        long stride = d < dim() ? shape[d] * strides[d] : 1;
        return new Tensor(storage, offset, Shapes.insert(shape, d, 1), Shapes.insert(strides, d, stride));
    }

    /** Removes every dimension of size 1 (a view). */
    public Tensor squeeze() {
        int n = 0;
        for (long d : shape) {
            n += d == 1 ? 0 : 1;
        }
        long[] s = new long[n];
        long[] st = new long[n];
        int k = 0;
        for (int i = 0; i < shape.length; i++) {
            if (shape[i] != 1) {
                s[k] = shape[i];
                st[k++] = strides[i];
            }
        }
        return new Tensor(storage, offset, s, st);
    }

    /** Removes dimension {@code dim} if its size is 1 (a view). */
    public Tensor squeeze(int dim) {
        if (dim() == 0) {
            Shapes.wrapDim(dim, 0);
            return detachedView();
        }
        int d = Shapes.wrapDim(dim, dim());
        if (shape[d] != 1) {
            return detachedView();
        }
        return new Tensor(storage, offset, Shapes.remove(shape, d), Shapes.remove(strides, d));
    }

    /** A broadcast view with stride 0 on expanded dimensions; -1 keeps a size. */
    public Tensor expand(long... sizes) {
        long[] target = sizes.clone();
        int lead = target.length - dim();
        for (int i = 0; i < target.length; i++) {
            if (target[i] == -1) {
                if (i < lead) {
                    throw new IllegalArgumentException("The expanded size of the tensor (-1) isn't allowed in a leading, "
                            + "non-existing dimension " + i);
                }
                target[i] = shape[i - lead];
            }
        }
        return new Tensor(storage, offset, target, Shapes.expandStrides(shape, strides, target));
    }

    public Tensor expandAs(Tensor other) {
        return expand(other.shape);
    }

    /** Elements {@code start} to {@code start+length-1} of one dimension (a view). */
    public Tensor narrow(int dim, long start, long length) {
        int d = Shapes.wrapDim(dim, dim());
        long size = shape[d];
        long st = start < 0 ? start + size : start;
        if (st < 0 || st > size) {
            throw new IndexOutOfBoundsException("start out of range (expected to be in range of [" + (-size) + ", "
                    + size + "], but got " + start + ")");
        }
        if (length < 0 || st + length > size) {
            throw new IndexOutOfBoundsException("start (" + st + ") + length (" + length + ") exceeds dimension size ("
                    + size + ").");
        }
        return slice(dim, st, st + length, 1);
    }

    /** {@code t[start:end]} along one dimension, with Python's clamping and negative indices (a view). */
    public Tensor slice(int dim, long start, long end) {
        return slice(dim, start, end, 1);
    }

    /** {@code t[start:end:step]} along one dimension (a view); step must be positive, as in PyTorch. */
    public Tensor slice(int dim, long start, long end, long step) {
        int d = Shapes.wrapDim(dim, dim());
        if (step <= 0) {
            throw new IllegalArgumentException("slice step must be positive");
        }
        long size = shape[d];
        long s = clampIndex(start, size);
        long e = clampIndex(end, size);
        long len = e <= s ? 0 : (e - s + step - 1) / step;
        long[] ns = shape.clone();
        long[] nst = strides.clone();
        ns[d] = len;
        nst[d] = strides[d] * step;
        return new Tensor(storage, offset + s * strides[d], ns, nst);
    }

    private static long clampIndex(long i, long size) {
        long v = i < 0 ? i + size : i;
        return Math.max(0, Math.min(size, v));
    }

    /** {@code t.select(dim, index)}: removes a dimension by picking one index (a view). */
    public Tensor select(int dim, long index) {
        if (dim() == 0) {
            throw new IndexOutOfBoundsException("select() cannot be applied to a 0-dim tensor.");
        }
        int d = Shapes.wrapDim(dim, dim());
        long size = shape[d];
        if (index < -size || index >= size) {
            throw new IndexOutOfBoundsException("select(): index " + index + " out of range for tensor of size "
                    + Shapes.list(shape) + " at dimension " + d);
        }
        long i = index < 0 ? index + size : index;
        return new Tensor(storage, offset + i * strides[d], Shapes.remove(shape, d), Shapes.remove(strides, d));
    }

    /** {@code t[i0, i1, ...]}: selects along the leading dimensions (a view). */
    public Tensor get(long... index) {
        if (index.length > dim()) {
            throw new IndexOutOfBoundsException("too many indices for tensor of dimension " + dim());
        }
        Tensor t = this;
        for (long i : index) {
            t = t.select(0, i);
        }
        return t == this ? detachedView() : t;
    }

    // =====================================================================================================
    // Element-wise operations
    // =====================================================================================================

    public Tensor add(Tensor other) {
        return Ops.binary(BinaryOp.ADD, this, other, false);
    }

    /** {@code this + alpha * other}. */
    public Tensor add(Tensor other, double alpha) {
        return add(alpha == 1 ? other : other.mul(alpha));
    }

    public Tensor add(double other) {
        return Ops.binary(BinaryOp.ADD, this, number(other), true);
    }

    public Tensor add(long other) {
        return Ops.binary(BinaryOp.ADD, this, number(other), true);
    }

    public Tensor sub(Tensor other) {
        return Ops.binary(BinaryOp.SUB, this, other, false);
    }

    public Tensor sub(double other) {
        return Ops.binary(BinaryOp.SUB, this, number(other), true);
    }

    public Tensor sub(long other) {
        return Ops.binary(BinaryOp.SUB, this, number(other), true);
    }

    public Tensor mul(Tensor other) {
        return Ops.binary(BinaryOp.MUL, this, other, false);
    }

    public Tensor mul(double other) {
        return Ops.binary(BinaryOp.MUL, this, number(other), true);
    }

    public Tensor mul(long other) {
        return Ops.binary(BinaryOp.MUL, this, number(other), true);
    }

    /** True division: integer operands give float32, as in PyTorch. */
    public Tensor div(Tensor other) {
        return Ops.binary(BinaryOp.DIV, this, other, false);
    }

    public Tensor div(double other) {
        return Ops.binary(BinaryOp.DIV, this, number(other), true);
    }

    public Tensor pow(Tensor exponent) {
        return Ops.binary(BinaryOp.POW, this, exponent, false);
    }

    public Tensor pow(double exponent) {
        return Ops.binary(BinaryOp.POW, this, number(exponent), true);
    }

    public Tensor pow(long exponent) {
        return Ops.binary(BinaryOp.POW, this, number(exponent), true);
    }

    public Tensor maximum(Tensor other) {
        return Ops.binary(BinaryOp.MAXIMUM, this, other, false);
    }

    public Tensor minimum(Tensor other) {
        return Ops.binary(BinaryOp.MINIMUM, this, other, false);
    }

    /** Limits every element to {@code [min, max]}. */
    public Tensor clamp(double min, double max) {
        return Ops.binary(BinaryOp.MINIMUM, Ops.binary(BinaryOp.MAXIMUM, this, number(min), true), number(max), true);
    }

    public Tensor clampMin(double min) {
        return Ops.binary(BinaryOp.MAXIMUM, this, number(min), true);
    }

    public Tensor eq(Tensor other) {
        return Ops.binary(BinaryOp.EQ, this, other, false);
    }

    public Tensor eq(double other) {
        return Ops.binary(BinaryOp.EQ, this, number(other), true);
    }

    public Tensor ne(Tensor other) {
        return Ops.binary(BinaryOp.NE, this, other, false);
    }

    public Tensor ne(double other) {
        return Ops.binary(BinaryOp.NE, this, number(other), true);
    }

    public Tensor lt(Tensor other) {
        return Ops.binary(BinaryOp.LT, this, other, false);
    }

    public Tensor lt(double other) {
        return Ops.binary(BinaryOp.LT, this, number(other), true);
    }

    public Tensor le(Tensor other) {
        return Ops.binary(BinaryOp.LE, this, other, false);
    }

    public Tensor le(double other) {
        return Ops.binary(BinaryOp.LE, this, number(other), true);
    }

    public Tensor gt(Tensor other) {
        return Ops.binary(BinaryOp.GT, this, other, false);
    }

    public Tensor gt(double other) {
        return Ops.binary(BinaryOp.GT, this, number(other), true);
    }

    public Tensor ge(Tensor other) {
        return Ops.binary(BinaryOp.GE, this, other, false);
    }

    public Tensor ge(double other) {
        return Ops.binary(BinaryOp.GE, this, number(other), true);
    }

    public Tensor logicalAnd(Tensor other) {
        return Ops.binary(BinaryOp.LOGICAL_AND, this, other, false);
    }

    public Tensor logicalOr(Tensor other) {
        return Ops.binary(BinaryOp.LOGICAL_OR, this, other, false);
    }

    public Tensor logicalNot() {
        return Ops.unary(UnaryOp.LOGICAL_NOT, this);
    }

    /** {@code condition ? a : b}, broadcasting all three. */
    public static Tensor where(Tensor condition, Tensor a, Tensor b) {
        return Ops.where(condition, a, b);
    }

    public Tensor neg() {
        return Ops.unary(UnaryOp.NEG, this);
    }

    public Tensor abs() {
        return Ops.unary(UnaryOp.ABS, this);
    }

    public Tensor sign() {
        return Ops.unary(UnaryOp.SIGN, this);
    }

    public Tensor relu() {
        return Ops.unary(UnaryOp.RELU, this);
    }

    public Tensor exp() {
        return Ops.unary(UnaryOp.EXP, this);
    }

    public Tensor log() {
        return Ops.unary(UnaryOp.LOG, this);
    }

    public Tensor sqrt() {
        return Ops.unary(UnaryOp.SQRT, this);
    }

    public Tensor rsqrt() {
        return Ops.unary(UnaryOp.RSQRT, this);
    }

    public Tensor reciprocal() {
        return Ops.unary(UnaryOp.RECIPROCAL, this);
    }

    public Tensor sin() {
        return Ops.unary(UnaryOp.SIN, this);
    }

    public Tensor cos() {
        return Ops.unary(UnaryOp.COS, this);
    }

    public Tensor tanh() {
        return Ops.unary(UnaryOp.TANH, this);
    }

    public Tensor sigmoid() {
        return Ops.unary(UnaryOp.SIGMOID, this);
    }

    public Tensor square() {
        return mul(this);
    }

    /** {@code exp(x) / sum(exp(x))} along {@code dim}, stabilised by subtracting the maximum. */
    public Tensor softmax(int dim) {
        Tensor x = isFloatingPoint() ? this : to(DType.FLOAT32);
        Tensor e = x.sub(x.amax(new int[] {dim}, true)).exp();
        return e.div(e.sum(new int[] {dim}, true));
    }

    /** {@code x - logsumexp(x)} along {@code dim}. */
    public Tensor logSoftmax(int dim) {
        Tensor x = isFloatingPoint() ? this : to(DType.FLOAT32);
        return x.sub(x.logsumexp(new int[] {dim}, true));
    }

    /** {@code log(sum(exp(x)))} over {@code dims}, computed stably. */
    public Tensor logsumexp(int[] dims, boolean keepdim) {
        Tensor x = isFloatingPoint() ? this : to(DType.FLOAT32);
        Tensor m = x.amax(dims, true);
        Tensor finiteMax = where(m.abs().eq(Double.POSITIVE_INFINITY), zeros(new long[0], m.dtype(), m.device()), m);
        Tensor out = x.sub(finiteMax).exp().sum(dims, true).log().add(finiteMax);
        return keepdim ? out : squeezeDims(out, dims);
    }

    private static Tensor squeezeDims(Tensor t, int[] dims) {
        boolean[] reduced = Ops.reducedMask(dims, t.dim());
        Tensor out = t;
        for (int i = reduced.length - 1; i >= 0; i--) {
            if (reduced[i]) {
                out = out.squeeze(i);
            }
        }
        return out;
    }

    // =====================================================================================================
    // In-place operations (they return this)
    // =====================================================================================================

    public Tensor add_(Tensor other) {
        Ops.binaryInPlace(BinaryOp.ADD, this, other, false);
        return this;
    }

    /** {@code this += alpha * other}. */
    public Tensor add_(Tensor other, double alpha) {
        return add_(alpha == 1 ? other : other.mul(alpha));
    }

    public Tensor add_(double other) {
        Ops.binaryInPlace(BinaryOp.ADD, this, number(other), true);
        return this;
    }

    public Tensor add_(long other) {
        Ops.binaryInPlace(BinaryOp.ADD, this, number(other), true);
        return this;
    }

    public Tensor sub_(Tensor other) {
        Ops.binaryInPlace(BinaryOp.SUB, this, other, false);
        return this;
    }

    public Tensor sub_(double other) {
        Ops.binaryInPlace(BinaryOp.SUB, this, number(other), true);
        return this;
    }

    public Tensor sub_(long other) {
        Ops.binaryInPlace(BinaryOp.SUB, this, number(other), true);
        return this;
    }

    public Tensor mul_(Tensor other) {
        Ops.binaryInPlace(BinaryOp.MUL, this, other, false);
        return this;
    }

    public Tensor mul_(double other) {
        Ops.binaryInPlace(BinaryOp.MUL, this, number(other), true);
        return this;
    }

    public Tensor mul_(long other) {
        Ops.binaryInPlace(BinaryOp.MUL, this, number(other), true);
        return this;
    }

    public Tensor div_(Tensor other) {
        Ops.binaryInPlace(BinaryOp.DIV, this, other, false);
        return this;
    }

    public Tensor div_(double other) {
        Ops.binaryInPlace(BinaryOp.DIV, this, number(other), true);
        return this;
    }

    /**
     * Copies {@code src}'s values into this tensor in place: src broadcasts to this shape, converts to this dtype,
     * and may come from any device. This tensor keeps its storage, dtype and device.
     */
    public Tensor copy_(Tensor src) {
        Ops.copyInto(this, src);
        return this;
    }

    public Tensor fill_(double value) {
        Ops.fill(this, value);
        return this;
    }

    public Tensor fill_(long value) {
        Ops.fill(this, value);
        return this;
    }

    public Tensor zero_() {
        Ops.fill(this, 0L);
        return this;
    }

    /** Fills with uniform samples in [from, to) from the default generator. */
    public Tensor uniform_(double from, double to) {
        return uniformFrom(Generator.defaultGenerator(), from, to);
    }

    /** Fills with normal samples from the default generator. */
    public Tensor normal_(double mean, double std) {
        return normalFrom(Generator.defaultGenerator(), mean, std);
    }

    /** Fills with uniform samples in [from, to) drawn from {@code generator}. */
    public Tensor uniformFrom(Generator generator, double from, double to) {
        if (from > to) {
            throw new IllegalArgumentException("uniform_ expects to return a [from, to) range, but found from=" + from
                    + " > to=" + to);
        }
        return fillRandom(generator, from, to, true);
    }

    /** Fills with normal samples drawn from {@code generator}. */
    public Tensor normalFrom(Generator generator, double mean, double std) {
        if (std < 0) {
            throw new IllegalArgumentException("normal expects std >= 0.0, but found std " + std);
        }
        return fillRandom(generator, mean, std, false);
    }

    private Tensor fillRandom(Generator g, double a, double b, boolean uniform) {
        if (!isFloatingPoint()) {
            throw new IllegalArgumentException((uniform ? "uniform_" : "normal_") + " expects a floating point tensor, got "
                    + dtype());
        }
        int n = Math.toIntExact(numel());
        HostBuffer host;
        if (dtype() == DType.FLOAT32) {
            float[] v = new float[n];
            if (uniform) {
                g.uniform(v, (float) a, (float) b);
            } else {
                g.normal(v, (float) a, (float) b);
            }
            host = HostBuffer.wrap(v);
        } else {
            double[] v = new double[n];
            if (uniform) {
                g.uniform(v, a, b);
            } else {
                g.normal(v, a, b);
            }
            host = HostBuffer.wrap(v);
        }
        return copy_(new Tensor(Storage.host(host), 0, shape, Shapes.contiguous(shape)));
    }

    // =====================================================================================================
    // Reductions
    // =====================================================================================================

    /** The sum of all elements; integer and bool tensors sum to int64. */
    public Tensor sum() {
        return sum(new int[0], false);
    }

    public Tensor sum(int dim, boolean keepdim) {
        return sum(new int[] {dim}, keepdim);
    }

    /** The sum over {@code dims} (all when empty). */
    public Tensor sum(int[] dims, boolean keepdim) {
        DType out = isFloatingPoint() ? dtype() : DType.INT64;
        return Ops.reduce(ReduceOp.SUM, this, dims, keepdim, out);
    }

    public Tensor prod() {
        return Ops.reduce(ReduceOp.PROD, this, new int[0], false, isFloatingPoint() ? dtype() : DType.INT64);
    }

    public Tensor mean() {
        return mean(new int[0], false);
    }

    public Tensor mean(int dim, boolean keepdim) {
        return mean(new int[] {dim}, keepdim);
    }

    /** The mean over {@code dims} (all when empty); floating point only, as in PyTorch. */
    public Tensor mean(int[] dims, boolean keepdim) {
        if (!isFloatingPoint()) {
            throw new IllegalArgumentException("mean(): could not infer output dtype. Input dtype must be either a "
                    + "floating point or complex dtype. Got: " + Ops.scalarTypeName(dtype()));
        }
        return sum(dims, keepdim).div(reducedCount(dims));
    }

    private long reducedCount(int[] dims) {
        boolean[] reduced = Ops.reducedMask(dims, dim());
        long n = 1;
        for (int i = 0; i < reduced.length; i++) {
            n *= reduced[i] ? shape[i] : 1;
        }
        return n;
    }

    /**
     * The variance over {@code dims} (all when empty) with Bessel's correction when {@code unbiased}: the sum of
     * squared deviations over {@code n - 1}, or over {@code n} when not.
     */
    public Tensor var(int[] dims, boolean unbiased, boolean keepdim) {
        if (!isFloatingPoint()) {
            throw new IllegalArgumentException("std and var only support floating point and complex dtypes");
        }
        long n = reducedCount(dims);
        Tensor dev = sub(mean(dims, true));
        return dev.mul(dev).sum(dims, keepdim).div((double) Math.max(0, n - (unbiased ? 1 : 0)));
    }

    /** The unbiased variance of all elements. */
    public Tensor var() {
        return var(new int[0], true, false);
    }

    public Tensor std(int[] dims, boolean unbiased, boolean keepdim) {
        return var(dims, unbiased, keepdim).sqrt();
    }

    /** The largest element (NaN if any is NaN). */
    public Tensor max() {
        return Ops.reduce(ReduceOp.MAX, this, new int[0], false, dtype());
    }

    public Tensor min() {
        return Ops.reduce(ReduceOp.MIN, this, new int[0], false, dtype());
    }

    /** The maxima over {@code dims}. */
    public Tensor amax(int[] dims, boolean keepdim) {
        return Ops.reduce(ReduceOp.MAX, this, dims, keepdim, dtype());
    }

    public Tensor amin(int[] dims, boolean keepdim) {
        return Ops.reduce(ReduceOp.MIN, this, dims, keepdim, dtype());
    }

    /** The index of the largest element of the flattened tensor (the first one on ties). */
    public Tensor argmax() {
        return Ops.reduce(ReduceOp.ARGMAX, reshape(-1), new int[] {0}, false, DType.INT64);
    }

    public Tensor argmax(int dim, boolean keepdim) {
        return Ops.reduce(ReduceOp.ARGMAX, this, new int[] {dim}, keepdim, DType.INT64);
    }

    public Tensor argmin() {
        return Ops.reduce(ReduceOp.ARGMIN, reshape(-1), new int[] {0}, false, DType.INT64);
    }

    public Tensor argmin(int dim, boolean keepdim) {
        return Ops.reduce(ReduceOp.ARGMIN, this, new int[] {dim}, keepdim, DType.INT64);
    }

    // =====================================================================================================
    // Matrix products
    // =====================================================================================================

    /** PyTorch's {@code matmul}: dot product, matrix-vector, matrix-matrix, and broadcast batched products. */
    public Tensor matmul(Tensor other) {
        return Ops.matmul(this, other);
    }

    /** Matrix-matrix product of two 2-d tensors. */
    public Tensor mm(Tensor other) {
        if (dim() != 2) {
            throw new IllegalArgumentException("self must be a matrix");
        }
        if (other.dim() != 2) {
            throw new IllegalArgumentException("mat2 must be a matrix");
        }
        return Ops.matmul(this, other);
    }

    // =====================================================================================================
    // Values on the host
    // =====================================================================================================

    /** The value of a one-element tensor. */
    public double item() {
        return scalarHost().toDoubleArray()[0];
    }

    /** The value of a one-element tensor, as a long (exact for int64). */
    public long itemLong() {
        return scalarHost().toLongArray()[0];
    }

    private Tensor scalarHost() {
        if (numel() != 1) {
            throw new IllegalArgumentException("only one element tensors can be converted to Java scalars");
        }
        return this;
    }

    /** The elements in row-major order, converted to float. */
    public float[] toFloatArray() {
        return (float[]) hostCopy(DType.FLOAT32).array();
    }

    public double[] toDoubleArray() {
        return (double[]) hostCopy(DType.FLOAT64).array();
    }

    public long[] toLongArray() {
        return (long[]) hostCopy(DType.INT64).array();
    }

    public int[] toIntArray() {
        return (int[]) hostCopy(DType.INT32).array();
    }

    public boolean[] toBooleanArray() {
        byte[] b = (byte[]) hostCopy(DType.BOOL).array();
        boolean[] out = new boolean[b.length];
        for (int i = 0; i < b.length; i++) {
            out[i] = b[i] != 0;
        }
        return out;
    }

    /** A fresh host buffer with this tensor's elements in row-major order, as {@code dtype}. */
    private HostBuffer hostCopy(DType dtype) {
        Tensor t = Ops.cast(contiguous(), dtype);
        Tensor host = t.device().isCpu() ? t : t.cpu();
        HostBuffer buf = (HostBuffer) host.storage.buffer();
        HostBuffer out = HostBuffer.allocate(dtype, host.numel());
        out.put(0, buf.nio(host.offset, host.numel()));
        return out;
    }

    /** True when both have the same shape and the same values (after promotion); NaN is never equal. */
    public boolean equal(Tensor other) {
        if (!Arrays.equals(shape, other.shape)) {
            return false;
        }
        return numel() == 0 || eq(other).logicalNot().sum().itemLong() == 0;
    }

    /**
     * {@code |this - other| <= atol + rtol * |other|} element-wise, for all elements, as PyTorch's isclose: equal
     * elements (infinities included) are close, a difference must be finite, and NaN is never close.
     */
    public boolean allclose(Tensor other, double rtol, double atol) {
        Tensor a = to(DType.FLOAT64);
        Tensor b = other.to(DType.FLOAT64);
        Tensor diff = a.sub(b).abs();
        Tensor tol = b.abs().mul(rtol).add(atol);
        Tensor close = a.eq(b).logicalOr(diff.lt(Double.POSITIVE_INFINITY).logicalAnd(diff.le(tol)));
        return diff.numel() == 0 || close.logicalNot().sum().itemLong() == 0;
    }

    /** PyTorch's printed form, for instance {@code tensor([ 0.4033,  0.8380, -0.7193], requires_grad=True)}. */
    @Override
    public String toString() {
        return TensorFormatter.format(this);
    }
}
