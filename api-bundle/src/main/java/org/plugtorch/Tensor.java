package org.plugtorch;

import static org.plugtorch.spi.Preconditions.checkArgument;
import static org.plugtorch.spi.Preconditions.checkIndex;
import static org.plugtorch.spi.Preconditions.checkState;

import java.lang.ref.WeakReference;
import java.util.Arrays;
import java.util.function.Supplier;
import org.plugtorch.internal.autograd.Autograd;
import org.plugtorch.internal.autograd.CopyBackward;
import org.plugtorch.internal.autograd.Engine;
import org.plugtorch.internal.autograd.Gradients;
import org.plugtorch.internal.autograd.InPlace;
import org.plugtorch.internal.autograd.LinalgBackward;
import org.plugtorch.internal.autograd.PointwiseOp;
import org.plugtorch.internal.autograd.ReductionBackward;
import org.plugtorch.internal.autograd.ViewBackward;
import org.plugtorch.internal.autograd.WhereBackward0;
import org.plugtorch.internal.runtime.AutogradMeta;
import org.plugtorch.internal.runtime.Ops;
import org.plugtorch.internal.runtime.Shapes;
import org.plugtorch.internal.runtime.Storage;
import org.plugtorch.internal.runtime.TensorFormatter;
import org.plugtorch.internal.runtime.TensorImpl;
import org.plugtorch.internal.runtime.Tensors;
import org.plugtorch.internal.runtime.Views;
import org.plugtorch.spi.BinaryOp;
import org.plugtorch.spi.HostBuffer;
import org.plugtorch.spi.ReduceOp;

/**
 * An n-dimensional array on a device, with PyTorch's semantics: shape and strides, views that share storage,
 * broadcasting, type promotion, in-place variants (a trailing underscore, as in PyTorch: {@code add_}), reverse-mode
 * autograd, and PyTorch's printed form.
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
 *
 * <p><b>Autograd.</b> A tensor created by the user is a leaf; {@link #requiresGrad_} asks for its gradient. An
 * operation with an input that requires grad, run while grad mode is on, records a {@link Node} on its result
 * ({@link #gradFn()}, printed as {@code grad_fn=<MulBackward0>}), and {@link #backward()} sends gradients back
 * through those nodes into the {@link #grad()} of every leaf that requires grad, adding to what is there. The
 * backward steps are ordinary tensor operations, so they run on the tensors' own device, whatever its backend.
 * {@link #noGrad()} opens a scope that records nothing (PyTorch's {@code torch.no_grad()}). When no input requires
 * grad, an operation creates no node at all. Errors are PyTorch's: state errors (a leaf modified in place, a graph
 * run twice, a saved tensor changed since) are {@link IllegalStateException}s, misuse of arguments (an implicit
 * gradient for a non-scalar, a root that does not require grad) {@link IllegalArgumentException}s.
 */
public class Tensor {
    static {
        // the internal packages reach a tensor's state through this, and through nothing public
        Tensors.install(Tensor::new);
    }

    /** The view and the autograd state (PyTorch's {@code TensorImpl}); the same object for this tensor's life. */
    private final TensorImpl impl;

    private Tensor(TensorImpl impl) {
        this.impl = impl;
        impl.storage.track(this);
    }

    /**
     * A new tensor object sharing {@code data}'s storage and view (for subclasses such as {@code Parameter}); it is a
     * leaf, whatever {@code data}'s history.
     *
     * @throws IllegalArgumentException when {@code requiresGrad} is asked of a tensor that is not floating point
     */
    protected Tensor(Tensor data, boolean requiresGrad) {
        this(new TensorImpl(data.impl.storage, data.impl.offset, data.impl.shape, data.impl.strides));
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

    /** Zeros with {@code like}'s shape, dtype and device ({@code torch.zeros_like}). */
    public static Tensor zerosLike(Tensor like) {
        return fullLike(like, 0);
    }

    /** Ones with {@code like}'s shape, dtype and device ({@code torch.ones_like}). */
    public static Tensor onesLike(Tensor like) {
        return fullLike(like, 1);
    }

    /**
     * {@code value} everywhere, with {@code like}'s shape, dtype and device ({@code torch.full_like}). The device is
     * read inside the operation, so a backend that leaves meanwhile cannot strand the allocation: it lands where
     * {@code like} is then.
     */
    public static Tensor fullLike(Tensor like, Number value) {
        return Ops.fullLike(like.impl.shape, value, like);
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
        checkArgument(step != 0, "step must be nonzero");
        checkArgument(
                Double.isFinite(start) && Double.isFinite(end), () -> "unsupported range: " + start + " -> " + end);
        checkArgument(
                !((step > 0 && end < start) || (step < 0 && end > start)),
                "upper bound and larger bound inconsistent with step sign");
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
            float[] row = rows[i];
            checkArgument(
                    row.length == cols,
                    () -> "expected sequence of length " + cols + " at dim 1 (got " + row.length + ")");
            System.arraycopy(row, 0, flat, i * cols, cols);
        }
        return fromArray(flat, rows.length, cols);
    }

    /** A 2-d float64 tensor from rows of equal length. */
    public static Tensor of(double[][] rows) {
        int cols = rows.length == 0 ? 0 : rows[0].length;
        double[] flat = new double[rows.length * cols];
        for (int i = 0; i < rows.length; i++) {
            double[] row = rows[i];
            checkArgument(
                    row.length == cols,
                    () -> "expected sequence of length " + cols + " at dim 1 (got " + row.length + ")");
            System.arraycopy(row, 0, flat, i * cols, cols);
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

    /**
     * A cpu tensor of {@code dtype} and {@code shape} holding a copy of {@code data}'s bytes from its position to its
     * limit, read in {@code data}'s byte order (checkpoint files are little-endian: pass a buffer ordered so). It is
     * one bulk copy into the tensor's own storage, where decoding into an array for {@link #fromArray} copies twice;
     * a mapped or direct buffer is read in place. A bool byte is true when it is not 0. {@code data}'s position is
     * unchanged.
     *
     * @throws IllegalArgumentException when the buffer does not hold exactly {@code shape}'s elements of {@code dtype}
     */
    public static Tensor fromBuffer(java.nio.ByteBuffer data, DType dtype, long... shape) {
        Shapes.checkShape(shape);
        long n = Shapes.numel(shape);
        checkArgument(
                data.remaining() == n * dtype.byteSize(),
                () -> "shape '" + Shapes.list(shape) + "' of " + dtype + " needs " + n * dtype.byteSize()
                        + " bytes, but the buffer holds " + data.remaining());
        HostBuffer buffer = HostBuffer.allocate(dtype, n);
        switch (dtype) {
            case FLOAT32:
                buffer.put(0, data.asFloatBuffer());
                break;
            case FLOAT64:
                buffer.put(0, data.asDoubleBuffer());
                break;
            case INT64:
                buffer.put(0, data.asLongBuffer());
                break;
            case INT32:
                buffer.put(0, data.asIntBuffer());
                break;
            case BOOL: {
                byte[] b = buffer.bools();
                data.duplicate().get(b);
                for (int i = 0; i < b.length; i++) {
                    b[i] = (byte) (b[i] != 0 ? 1 : 0);
                }
                break;
            }
            default:
                throw new AssertionError(dtype);
        }
        return fromHost(buffer, shape);
    }

    private static Tensor fromHost(HostBuffer buffer, long[] shape) {
        Shapes.checkShape(shape);
        checkArgument(
                Shapes.numel(shape) == buffer.size(),
                () -> "shape '" + Shapes.list(shape) + "' is invalid for input of size " + buffer.size());
        return Tensors.create(Storage.host(buffer), 0, shape.clone(), Shapes.contiguous(shape));
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

    /** A zero-dimensional tensor standing for a Java number in an operation. */
    private static Tensor number(double value) {
        return Ops.number(value);
    }

    private static Tensor number(long value) {
        return Ops.number(value);
    }

    // =====================================================================================================
    // Grad mode
    // =====================================================================================================

    /**
     * A scope in which operations record no autograd graph, PyTorch's {@code torch.no_grad()}: use it in a
     * try-with-resources statement, {@code try (GradMode ignored = Tensor.noGrad()) { ... }}. Closing it restores
     * the mode that was in force before. See {@link GradMode}.
     */
    public static GradMode noGrad() {
        return GradMode.noGrad();
    }

    /** Runs {@code body} with grad mode off and returns its result. */
    public static <T> T noGrad(Supplier<T> body) {
        return GradMode.noGrad(body);
    }

    // =====================================================================================================
    // Properties
    // =====================================================================================================

    /** The shape (a copy). */
    public long[] shape() {
        return impl.shape.clone();
    }

    /** The size of one dimension; negative dimensions count from the end. */
    public long size(int dim) {
        return impl.shape[Shapes.wrapDim(dim, dim())];
    }

    /** The strides in elements (a copy). */
    public long[] stride() {
        return impl.strides.clone();
    }

    /** The element offset of this view in its storage. */
    public long storageOffset() {
        return impl.offset;
    }

    public int dim() {
        return impl.shape.length;
    }

    public long numel() {
        return Shapes.numel(impl.shape);
    }

    public DType dtype() {
        return impl.storage.dtype();
    }

    /** The device this tensor's storage is on now. */
    public Device device() {
        return impl.storage.device();
    }

    public boolean isContiguous() {
        return Shapes.isContiguous(impl.shape, impl.strides);
    }

    public boolean isFloatingPoint() {
        return dtype().isFloatingPoint();
    }

    /** True when this tensor and {@code other} share storage (one is a view of the other, or both of a third). */
    public boolean sharesStorageWith(Tensor other) {
        return impl.storage == other.impl.storage;
    }

    /**
     * How many times this tensor's storage was modified in place (PyTorch's {@code _version}); views and detached
     * tensors over the same storage share it.
     */
    public int version() {
        return impl.storage.version;
    }

    // =====================================================================================================
    // Autograd
    // =====================================================================================================

    /** True for a leaf that asked for its gradient, and for every result recorded from one. */
    public boolean requiresGrad() {
        return (impl.autograd != null || impl.base != null) && Autograd.requiresGrad(this);
    }

    /**
     * Sets {@code requiresGrad} of a leaf in place; returns this. Only floating-point tensors can require gradients,
     * and only a leaf's flag can be turned off (a result is detached with {@link #detach()} instead).
     */
    public Tensor requiresGrad_(boolean requiresGrad) {
        if (gradFn() != null) {
            checkArgument(
                    requiresGrad,
                    "you can only change requires_grad flags of leaf variables. If you "
                            + "want to use a computed variable in a subgraph that doesn't require differentiation use "
                            + "var_no_grad = var.detach().");
            return this;
        }
        checkArgument(!requiresGrad || isFloatingPoint(), "only Tensors of floating point dtype can require gradients");
        Autograd.setRequiresGrad(this, requiresGrad);
        return this;
    }

    /**
     * The node that produced this tensor ({@code grad_fn}), or null for a leaf. A view whose base was modified in
     * place since it was made reports its history through the base's new one, as PyTorch does.
     */
    public Node gradFn() {
        return impl.autograd == null && impl.base == null ? null : Autograd.gradFn(this);
    }

    /** True when this tensor was not produced by a recorded operation (PyTorch's {@code is_leaf}). */
    public boolean isLeaf() {
        return gradFn() == null;
    }

    /** The accumulated gradient, or null. */
    public Tensor grad() {
        AutogradMeta m = impl.autograd;
        return m == null ? null : m.grad;
    }

    /** Sets the gradient (null clears it); it must match this tensor's shape, dtype and device. */
    public void setGrad(Tensor grad) {
        // the two devices are compared where no backend can leave between the two reads
        Ops.atomically(() -> {
            if (grad != null) {
                checkArgument(
                        grad.dtype() == dtype() && grad.device().equals(device()),
                        "assigned grad has data of a different type");
                checkArgument(Arrays.equals(grad.impl.shape, impl.shape), "assigned grad has data of a different size");
            }
            Autograd.setGrad(this, grad);
            return null;
        });
    }

    /**
     * Computes the gradient of this one-element tensor with respect to every leaf it was computed from, adding it
     * to each leaf's {@link #grad()}. Frees the graph's saved tensors afterwards.
     *
     * @throws IllegalArgumentException {@code grad can be implicitly created only for scalar outputs} when this
     *         tensor has more than one element; {@code element 0 of tensors does not require grad and does not have
     *         a grad_fn} when it does not require grad
     */
    public void backward() {
        Engine.backward(this, null, false);
    }

    /** {@link #backward()} from {@code gradient}, the gradient of some scalar with respect to this tensor. */
    public void backward(Tensor gradient) {
        Engine.backward(this, gradient, false);
    }

    /**
     * {@link #backward(Tensor)}; with {@code retainGraph} the saved tensors are kept, so that the graph can be run
     * backward again. {@code gradient} may be null for a one-element tensor.
     */
    public void backward(Tensor gradient, boolean retainGraph) {
        Engine.backward(this, gradient, retainGraph);
    }

    /**
     * Asks that this non-leaf tensor keep its gradient in {@link #grad()} during backward passes, as leaves do
     * (a leaf keeps it anyway).
     */
    public void retainGrad() {
        checkState(requiresGrad(), "can't retain_grad on Tensor that has requires_grad=False");
        Node fn = gradFn();
        if (fn != null) {
            impl.autogradForWrite().retainsGrad = true;
            fn.retainer = new WeakReference<>(this);
        }
    }

    /** True for a non-leaf tensor that was asked to {@link #retainGrad()}. */
    public boolean retainsGrad() {
        return Autograd.retainsGrad(this);
    }

    // =====================================================================================================
    // Identity-keeping moves, detaching, copies
    // =====================================================================================================

    /**
     * Re-points this tensor object at {@code data}'s storage and view (PyTorch's {@code t.data = data}): this object
     * now has data's shape, dtype and device, and shares data's storage. Views taken of this tensor before keep
     * the old storage. Autograd does not see the change: this tensor keeps its history or leaf status.
     */
    public void setData(Tensor data) {
        checkArgument(
                impl.autograd == null || !impl.autograd.requiresGrad || data.isFloatingPoint(),
                "data set to a tensor that requires gradients must be floating point or complex dtype");
        TensorImpl d = data.impl;
        impl.storage = d.storage;
        impl.offset = d.offset;
        impl.shape = d.shape;
        impl.strides = d.strides;
        d.storage.track(this);
    }

    /** A new tensor sharing this one's storage, detached from autograd ({@code t.data}). */
    public Tensor data() {
        return detach();
    }

    /** A new leaf sharing this one's storage (and its version count), not requiring grad. */
    public Tensor detach() {
        return Tensors.create(impl.storage, impl.offset, impl.shape, impl.strides);
    }

    /** Makes this tensor a leaf that does not require grad, in place; returns this. Views cannot be detached in place. */
    public Tensor detach_() {
        Autograd.detachInPlace(this);
        return this;
    }

    /** A copy with its own storage, contiguous, on the same device ({@code CloneBackward0}). */
    public Tensor clone() {
        Tensor out = Ops.contiguous(this);
        return GradMode.isRecording(this) ? new CopyBackward.CloneBackward0(this).attach(out) : out;
    }

    /** This tensor on {@code device}: this object itself when already there, else a copy ({@code ToCopyBackward0}). */
    public Tensor to(Device device) {
        return recordedCopy(Ops.toDevice(this, device));
    }

    /**
     * This tensor with {@code other}'s device and dtype ({@code t.to(other)}): this object itself when it already
     * has both, else a copy. Both are read inside the operation, where no backend can leave between the read and
     * the copy.
     */
    public Tensor to(Tensor other) {
        return recordedCopy(Ops.prepareLike(this, other));
    }

    /** {@code to(Device.parse(device))}. */
    public Tensor to(String device) {
        return to(Device.parse(device));
    }

    /** This tensor as {@code dtype}: this object itself when it already is, else a converted copy. */
    public Tensor to(DType dtype) {
        return recordedCopy(Ops.cast(this, dtype));
    }

    public Tensor to(Device device, DType dtype) {
        return recordedCopy(Ops.cast(Ops.toDevice(this, device), dtype));
    }

    private Tensor recordedCopy(Tensor out) {
        return out != this && GradMode.isRecording(this) ? new CopyBackward.ToCopyBackward0(this).attach(out) : out;
    }

    /** {@code to(Device.CPU)}. */
    public Tensor cpu() {
        return to(Device.CPU);
    }

    /** This tensor when contiguous, else a contiguous copy. */
    public Tensor contiguous() {
        return isContiguous() ? this : clone();
    }

    // =====================================================================================================
    // Views (they share storage)
    // =====================================================================================================

    /** Marks {@code v}, a new view of this tensor's storage, as a view of this tensor's base (or of this tensor). */
    private Tensor markView(Tensor v) {
        return Autograd.markView(this, v);
    }

    /** A view with a new shape (one -1 is inferred); fails when the strides do not allow it, as in PyTorch. */
    public Tensor view(long... newShape) {
        Tensor out = markView(Views.view(this, newShape));
        return GradMode.isRecording(this)
                ? Autograd.attachView(new ViewBackward.Reshape("ViewBackward0", this), out)
                : out;
    }

    /** A view when possible, else a copy with the new shape. */
    public Tensor reshape(long... newShape) {
        long[] s = Shapes.inferSize(newShape, numel());
        Tensor v = Views.viewIfPossible(this, s);
        boolean recording = GradMode.isRecording(this);
        if (v != null) {
            Tensor out = markView(v);
            return recording ? Autograd.attachView(new ViewBackward.Reshape("ReshapeAliasBackward0", this), out) : out;
        }
        Tensor copy = Ops.contiguous(this);
        if (!recording) {
            return Views.view(copy, s);
        }
        new CopyBackward.CloneBackward0(this).attach(copy);
        return new ViewBackward.Reshape("UnsafeViewBackward0", copy).attach(Views.view(copy, s));
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
        checkArgument(s <= e, "flatten() has invalid args: start_dim cannot come after end_dim");
        long[] ns = new long[dim() - (e - s)];
        int k = 0;
        for (int i = 0; i < s; i++) {
            ns[k++] = impl.shape[i];
        }
        long m = 1;
        for (int i = s; i <= e; i++) {
            m *= impl.shape[i];
        }
        ns[k++] = m;
        for (int i = e + 1; i < dim(); i++) {
            ns[k++] = impl.shape[i];
        }
        return reshape(ns);
    }

    /** Swaps two dimensions (a view). */
    public Tensor transpose(int dim0, int dim1) {
        Tensor out = markView(Views.transpose(this, dim0, dim1));
        return GradMode.isRecording(this)
                ? Autograd.attachView(new ViewBackward.TransposeBackward0(this, dim0, dim1), out)
                : out;
    }

    /** The transpose of a matrix (0-d and 1-d tensors are returned as they are, as views). */
    public Tensor t() {
        checkArgument(dim() <= 2, () -> "t() expects a tensor with <= 2 dimensions, but self is " + dim() + "D");
        Tensor out = markView(dim() < 2 ? Views.alias(this) : Views.transpose(this, 0, 1));
        return GradMode.isRecording(this) ? Autograd.attachView(new ViewBackward.TBackward0(this), out) : out;
    }

    /** Reorders the dimensions (a view). */
    public Tensor permute(int... dims) {
        Tensor out = markView(Views.permute(this, dims));
        return GradMode.isRecording(this)
                ? Autograd.attachView(new ViewBackward.PermuteBackward0(this, dims), out)
                : out;
    }

    /** Inserts a dimension of size 1 (a view). */
    public Tensor unsqueeze(int dim) {
        Tensor out = markView(Views.unsqueeze(this, dim));
        return GradMode.isRecording(this)
                ? Autograd.attachView(new ViewBackward.UnsqueezeBackward0(this, dim), out)
                : out;
    }

    /** Removes every dimension of size 1 (a view). */
    public Tensor squeeze() {
        Tensor out = markView(Views.squeeze(this));
        return GradMode.isRecording(this)
                ? Autograd.attachView(new ViewBackward.Reshape("SqueezeBackward0", this), out)
                : out;
    }

    /** Removes dimension {@code dim} if its size is 1 (a view). */
    public Tensor squeeze(int dim) {
        Tensor out = markView(Views.squeeze(this, dim));
        return GradMode.isRecording(this)
                ? Autograd.attachView(new ViewBackward.Reshape("SqueezeBackward1", this), out)
                : out;
    }

    /** A broadcast view with stride 0 on expanded dimensions; -1 keeps a size. */
    public Tensor expand(long... sizes) {
        Tensor out = markView(Views.expand(this, sizes));
        return GradMode.isRecording(this) ? Autograd.attachView(new ViewBackward.ExpandBackward0(this), out) : out;
    }

    public Tensor expandAs(Tensor other) {
        return expand(other.impl.shape);
    }

    /** Elements {@code start} to {@code start+length-1} of one dimension (a view). */
    public Tensor narrow(int dim, long start, long length) {
        int d = Shapes.wrapDim(dim, dim());
        long size = impl.shape[d];
        long st = start < 0 ? start + size : start;
        checkIndex(
                st >= 0 && st <= size,
                () -> "start out of range (expected to be in range of [" + (-size) + ", " + size + "], but got " + start
                        + ")");
        checkIndex(
                length >= 0 && st + length <= size,
                () -> "start (" + st + ") + length (" + length + ") exceeds dimension size (" + size + ").");
        return slice(dim, st, st + length, 1);
    }

    /** {@code t[start:end]} along one dimension, with Python's clamping and negative indices (a view). */
    public Tensor slice(int dim, long start, long end) {
        return slice(dim, start, end, 1);
    }

    /** {@code t[start:end:step]} along one dimension (a view); step must be positive, as in PyTorch. */
    public Tensor slice(int dim, long start, long end, long step) {
        Tensor out = markView(Views.slice(this, dim, start, end, step));
        return GradMode.isRecording(this)
                ? Autograd.attachView(new ViewBackward.SliceBackward0(this, dim, start, end, step), out)
                : out;
    }

    /** {@code t.select(dim, index)}: removes a dimension by picking one index (a view). */
    public Tensor select(int dim, long index) {
        Tensor out = markView(Views.select(this, dim, index));
        return GradMode.isRecording(this)
                ? Autograd.attachView(new ViewBackward.SelectBackward0(this, dim, index), out)
                : out;
    }

    /** {@code t[i0, i1, ...]}: selects along the leading dimensions (a view). */
    public Tensor get(long... index) {
        checkIndex(index.length <= dim(), () -> "too many indices for tensor of dimension " + dim());
        if (index.length == 0) {
            Tensor out = markView(Views.alias(this));
            return GradMode.isRecording(this) ? Autograd.attachView(new ViewBackward.AliasBackward0(this), out) : out;
        }
        Tensor t = this;
        for (long i : index) {
            t = t.select(0, i);
        }
        return t;
    }

    // =====================================================================================================
    // Element-wise operations
    // =====================================================================================================

    public Tensor add(Tensor other) {
        return PointwiseOp.ADD.apply(this, other, false);
    }

    /** {@code this + alpha * other}. */
    public Tensor add(Tensor other, double alpha) {
        return PointwiseOp.ADD.apply(this, other, false, alpha);
    }

    public Tensor add(double other) {
        return PointwiseOp.ADD.apply(this, number(other), true);
    }

    public Tensor add(long other) {
        return PointwiseOp.ADD.apply(this, number(other), true);
    }

    public Tensor sub(Tensor other) {
        return PointwiseOp.SUB.apply(this, other, false);
    }

    public Tensor sub(double other) {
        return PointwiseOp.SUB.apply(this, number(other), true);
    }

    public Tensor sub(long other) {
        return PointwiseOp.SUB.apply(this, number(other), true);
    }

    public Tensor mul(Tensor other) {
        return PointwiseOp.MUL.apply(this, other, false);
    }

    public Tensor mul(double other) {
        return PointwiseOp.MUL.apply(this, number(other), true);
    }

    public Tensor mul(long other) {
        return PointwiseOp.MUL.apply(this, number(other), true);
    }

    /** True division: integer operands give float32, as in PyTorch. */
    public Tensor div(Tensor other) {
        return PointwiseOp.DIV.apply(this, other, false);
    }

    public Tensor div(double other) {
        return PointwiseOp.DIV.apply(this, number(other), true);
    }

    public Tensor pow(Tensor exponent) {
        return PointwiseOp.POW_TENSOR.apply(this, exponent, false);
    }

    public Tensor pow(double exponent) {
        return PointwiseOp.POW_SCALAR.apply(this, number(exponent), true);
    }

    public Tensor pow(long exponent) {
        return PointwiseOp.POW_SCALAR.apply(this, number(exponent), true);
    }

    public Tensor maximum(Tensor other) {
        return PointwiseOp.MAXIMUM.apply(this, other, false);
    }

    public Tensor minimum(Tensor other) {
        return PointwiseOp.MINIMUM.apply(this, other, false);
    }

    /** Limits every element to {@code [min, max]}. */
    public Tensor clamp(double min, double max) {
        return PointwiseOp.CLAMP.apply(this, min, max);
    }

    public Tensor clampMin(double min) {
        return PointwiseOp.CLAMP_MIN.apply(this, min);
    }

    public Tensor eq(Tensor other) {
        return PointwiseOp.EQ.apply(this, other, false);
    }

    public Tensor eq(double other) {
        return PointwiseOp.EQ.apply(this, number(other), true);
    }

    public Tensor ne(Tensor other) {
        return PointwiseOp.NE.apply(this, other, false);
    }

    public Tensor ne(double other) {
        return PointwiseOp.NE.apply(this, number(other), true);
    }

    public Tensor lt(Tensor other) {
        return PointwiseOp.LT.apply(this, other, false);
    }

    public Tensor lt(double other) {
        return PointwiseOp.LT.apply(this, number(other), true);
    }

    public Tensor le(Tensor other) {
        return PointwiseOp.LE.apply(this, other, false);
    }

    public Tensor le(double other) {
        return PointwiseOp.LE.apply(this, number(other), true);
    }

    public Tensor gt(Tensor other) {
        return PointwiseOp.GT.apply(this, other, false);
    }

    public Tensor gt(double other) {
        return PointwiseOp.GT.apply(this, number(other), true);
    }

    public Tensor ge(Tensor other) {
        return PointwiseOp.GE.apply(this, other, false);
    }

    public Tensor ge(double other) {
        return PointwiseOp.GE.apply(this, number(other), true);
    }

    public Tensor logicalAnd(Tensor other) {
        return PointwiseOp.LOGICAL_AND.apply(this, other, false);
    }

    public Tensor logicalOr(Tensor other) {
        return PointwiseOp.LOGICAL_OR.apply(this, other, false);
    }

    public Tensor logicalNot() {
        return PointwiseOp.LOGICAL_NOT.apply(this);
    }

    /** {@code condition ? a : b}, broadcasting all three. */
    public static Tensor where(Tensor condition, Tensor a, Tensor b) {
        Tensor out = Ops.where(condition, a, b);
        return GradMode.isRecording(a, b) ? new WhereBackward0(condition, a, b).attach(out) : out;
    }

    public Tensor neg() {
        return PointwiseOp.NEG.apply(this);
    }

    public Tensor abs() {
        return PointwiseOp.ABS.apply(this);
    }

    public Tensor sign() {
        return PointwiseOp.SIGN.apply(this);
    }

    public Tensor relu() {
        return PointwiseOp.RELU.apply(this);
    }

    public Tensor exp() {
        return PointwiseOp.EXP.apply(this);
    }

    public Tensor log() {
        return PointwiseOp.LOG.apply(this);
    }

    public Tensor sqrt() {
        return PointwiseOp.SQRT.apply(this);
    }

    public Tensor rsqrt() {
        return PointwiseOp.RSQRT.apply(this);
    }

    public Tensor reciprocal() {
        return PointwiseOp.RECIPROCAL.apply(this);
    }

    public Tensor sin() {
        return PointwiseOp.SIN.apply(this);
    }

    public Tensor cos() {
        return PointwiseOp.COS.apply(this);
    }

    public Tensor tanh() {
        return PointwiseOp.TANH.apply(this);
    }

    public Tensor sigmoid() {
        return PointwiseOp.SIGMOID.apply(this);
    }

    /** The error function; integer tensors give float32, as in PyTorch. */
    public Tensor erf() {
        return PointwiseOp.ERF.apply(this);
    }

    /** {@code x * x}, recorded as PyTorch records it ({@code PowBackward0}). */
    public Tensor square() {
        return PointwiseOp.SQUARE.apply(this);
    }

    /** {@code exp(x) / sum(exp(x))} along {@code dim}, stabilised by subtracting the maximum. */
    public Tensor softmax(int dim) {
        if (!GradMode.isRecording(this)) {
            return softmaxForward(dim);
        }
        Tensor out = GradMode.noGrad(() -> softmaxForward(dim));
        return new ReductionBackward.SoftmaxBackward0(this, out, dim).attach(out);
    }

    private Tensor softmaxForward(int dim) {
        Tensor x = softmaxInput("softmax", dim);
        Tensor e = x.sub(x.amax(new int[] {dim}, true)).exp();
        return e.div(e.sum(new int[] {dim}, true));
    }

    /** {@code x - logsumexp(x)} along {@code dim}. */
    public Tensor logSoftmax(int dim) {
        if (!GradMode.isRecording(this)) {
            return logSoftmaxForward(dim);
        }
        Tensor out = GradMode.noGrad(() -> logSoftmaxForward(dim));
        return new ReductionBackward.LogSoftmaxBackward0(this, out, dim).attach(out);
    }

    /** As PyTorch's kernel computes it: {@code (x - max) - log(sum(exp(x - max)))}, the shifted values used twice. */
    private Tensor logSoftmaxForward(int dim) {
        Tensor x = softmaxInput("log_softmax", dim);
        int[] dims = {dim};
        // the plain maximum, as PyTorch's kernel: a row holding +inf is NaN throughout there too
        Tensor shifted = x.sub(x.amax(dims, true));
        return shifted.sub(shifted.exp().sum(dims, true).log());
    }

    /** This tensor, refused unless floating point, with the name PyTorch's kernel gives in its error. */
    private Tensor softmaxInput(String kind, int dim) {
        if (!isFloatingPoint()) {
            String kernel = Shapes.wrapDim(dim, Math.max(1, dim())) == Math.max(1, dim()) - 1 ? "_lastdim" : "";
            throw new IllegalArgumentException(
                    "\"" + kind + kernel + "_kernel_impl\" not implemented for '" + Ops.scalarTypeName(dtype()) + "'");
        }
        return this;
    }

    /** The maxima over {@code dims} (kept), with infinite ones replaced by 0 so that subtracting them is safe. */
    private static Tensor finiteMax(Tensor x, int[] dims) {
        Tensor m = x.amax(dims, true);
        // a zero-dimensional CPU zero joins an operation on any device (and names none a backend could leave)
        return where(m.abs().eq(Double.POSITIVE_INFINITY), zeros(new long[0], m.dtype(), Device.CPU), m);
    }

    /** {@code log(sum(exp(x)))} over {@code dims}, computed stably. */
    public Tensor logsumexp(int[] dims, boolean keepdim) {
        if (!GradMode.isRecording(this)) {
            return logsumexpForward(dims, keepdim);
        }
        Tensor out = GradMode.noGrad(() -> logsumexpForward(dims, keepdim));
        return new ReductionBackward.LogsumexpBackward0(this, out, dims, keepdim).attach(out);
    }

    private Tensor logsumexpForward(int[] dims, boolean keepdim) {
        Tensor x = isFloatingPoint() ? this : to(DType.FLOAT32);
        Tensor finiteMax = finiteMax(x, dims);
        Tensor out = x.sub(finiteMax).exp().sum(dims, true).log().add(finiteMax);
        return keepdim ? out : squeezeDims(out, dims);
    }

    private static Tensor squeezeDims(Tensor t, int[] dims) {
        boolean[] reduced = Ops.reducedMask(dims, t.dim());
        Tensor out = t;
        for (int i = reduced.length - 1; i >= 0; i--) {
            if (reduced[i]) {
                out = Views.squeeze(out, i);
            }
        }
        return out;
    }

    // =====================================================================================================
    // In-place operations (they return this)
    // =====================================================================================================

    public Tensor add_(Tensor other) {
        return PointwiseOp.ADD.applyInPlace(this, other, false);
    }

    /** {@code this += alpha * other}. */
    public Tensor add_(Tensor other, double alpha) {
        return PointwiseOp.ADD.applyInPlace(this, other, false, alpha);
    }

    public Tensor add_(double other) {
        return PointwiseOp.ADD.applyInPlace(this, number(other), true);
    }

    public Tensor add_(long other) {
        return PointwiseOp.ADD.applyInPlace(this, number(other), true);
    }

    public Tensor sub_(Tensor other) {
        return PointwiseOp.SUB.applyInPlace(this, other, false);
    }

    public Tensor sub_(double other) {
        return PointwiseOp.SUB.applyInPlace(this, number(other), true);
    }

    public Tensor sub_(long other) {
        return PointwiseOp.SUB.applyInPlace(this, number(other), true);
    }

    public Tensor mul_(Tensor other) {
        return PointwiseOp.MUL.applyInPlace(this, other, false);
    }

    public Tensor mul_(double other) {
        return PointwiseOp.MUL.applyInPlace(this, number(other), true);
    }

    public Tensor mul_(long other) {
        return PointwiseOp.MUL.applyInPlace(this, number(other), true);
    }

    public Tensor div_(Tensor other) {
        return PointwiseOp.DIV.applyInPlace(this, other, false);
    }

    public Tensor div_(double other) {
        return PointwiseOp.DIV.applyInPlace(this, number(other), true);
    }

    /**
     * Copies {@code src}'s values into this tensor in place: src broadcasts to this shape, converts to this dtype,
     * and may come from any device. This tensor keeps its storage, dtype and device.
     */
    public Tensor copy_(Tensor src) {
        Node fn = InPlace.begin(this, src) ? new CopyBackward.CopyBackwards(this, src) : null;
        Ops.copyInto(this, src);
        return InPlace.end(this, fn, src);
    }

    public Tensor fill_(double value) {
        return fill_((Number) value);
    }

    public Tensor fill_(long value) {
        return fill_((Number) value);
    }

    private Tensor fill_(Number value) {
        Node fn = InPlace.begin(this, null) ? new CopyBackward.Overwrite("FillBackward2", this) : null;
        Ops.fill(this, value);
        return InPlace.end(this, fn, null);
    }

    public Tensor zero_() {
        Node fn = InPlace.begin(this, null) ? new CopyBackward.Overwrite("ZeroBackward0", this) : null;
        Ops.fill(this, 0L);
        return InPlace.end(this, fn, null);
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
        checkArgument(
                !(from > to),
                () -> "uniform_ expects to return a [from, to) range, but found from=" + from + " > to=" + to);
        return fillRandom(generator, from, to, true);
    }

    /** Fills with normal samples drawn from {@code generator}. */
    public Tensor normalFrom(Generator generator, double mean, double std) {
        checkArgument(!(std < 0), () -> "normal expects std >= 0.0, but found std " + std);
        return fillRandom(generator, mean, std, false);
    }

    private Tensor fillRandom(Generator g, double a, double b, boolean uniform) {
        checkArgument(
                isFloatingPoint(),
                () -> (uniform ? "uniform_" : "normal_") + " expects a floating point tensor, got " + dtype());
        Node fn = InPlace.begin(this, null)
                ? new CopyBackward.Overwrite(uniform ? "UniformBackward0" : "NormalBackward0", this)
                : null;
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
        Ops.copyInto(this, Tensors.create(Storage.host(host), 0, impl.shape, Shapes.contiguous(impl.shape)));
        return InPlace.end(this, fn, null);
    }

    // =====================================================================================================
    // Reductions
    // =====================================================================================================

    /** The sum of all elements; integer and bool tensors sum to int64. */
    public Tensor sum() {
        Tensor out = Ops.reduce(ReduceOp.SUM, this, new int[0], false, sumType());
        return GradMode.isRecording(this)
                ? new ReductionBackward.SumBackward("SumBackward0", this, new int[0], false).attach(out)
                : out;
    }

    public Tensor sum(int dim, boolean keepdim) {
        return sum(new int[] {dim}, keepdim);
    }

    /** The sum over {@code dims} (all when empty). */
    public Tensor sum(int[] dims, boolean keepdim) {
        Tensor out = Ops.reduce(ReduceOp.SUM, this, dims, keepdim, sumType());
        return GradMode.isRecording(this)
                ? new ReductionBackward.SumBackward("SumBackward1", this, dims, keepdim).attach(out)
                : out;
    }

    private DType sumType() {
        return isFloatingPoint() ? dtype() : DType.INT64;
    }

    public Tensor prod() {
        Tensor out = Ops.reduce(ReduceOp.PROD, this, new int[0], false, sumType());
        return GradMode.isRecording(this) ? new ReductionBackward.ProdBackward0(this, out).attach(out) : out;
    }

    public Tensor mean() {
        Tensor out = meanForward(new int[0], false);
        return GradMode.isRecording(this)
                ? new ReductionBackward.MeanBackward("MeanBackward0", this, new int[0], false).attach(out)
                : out;
    }

    public Tensor mean(int dim, boolean keepdim) {
        return mean(new int[] {dim}, keepdim);
    }

    /** The mean over {@code dims} (all when empty); floating point only, as in PyTorch. */
    public Tensor mean(int[] dims, boolean keepdim) {
        Tensor out = meanForward(dims, keepdim);
        return GradMode.isRecording(this)
                ? new ReductionBackward.MeanBackward("MeanBackward1", this, dims, keepdim).attach(out)
                : out;
    }

    private Tensor meanForward(int[] dims, boolean keepdim) {
        checkArgument(
                isFloatingPoint(),
                () -> "mean(): could not infer output dtype. Input dtype must be either a "
                        + "floating point or complex dtype. Got: " + Ops.scalarTypeName(dtype()));
        Tensor sum = Ops.reduce(ReduceOp.SUM, this, dims, keepdim, dtype());
        return Ops.binary(BinaryOp.DIV, sum, number(Gradients.reducedCount(impl.shape, dims)), true);
    }

    /**
     * The variance over {@code dims} (all when empty) with Bessel's correction when {@code unbiased}: the sum of
     * squared deviations over {@code n - 1}, or over {@code n} when not.
     */
    public Tensor var(int[] dims, boolean unbiased, boolean keepdim) {
        if (!GradMode.isRecording(this)) {
            return varForward(dims, unbiased, keepdim);
        }
        Tensor out = GradMode.noGrad(() -> varForward(dims, unbiased, keepdim));
        return new ReductionBackward.VarBackward0(this, dims, unbiased ? 1 : 0, keepdim).attach(out);
    }

    private Tensor varForward(int[] dims, boolean unbiased, boolean keepdim) {
        checkArgument(isFloatingPoint(), "std and var only support floating point and complex dtypes");
        long n = Gradients.reducedCount(impl.shape, dims);
        Tensor dev = sub(mean(dims, true));
        return dev.mul(dev).sum(dims, keepdim).div((double) Math.max(0, n - (unbiased ? 1 : 0)));
    }

    /** The unbiased variance of all elements. */
    public Tensor var() {
        return var(new int[0], true, false);
    }

    public Tensor std(int[] dims, boolean unbiased, boolean keepdim) {
        if (!GradMode.isRecording(this)) {
            return varForward(dims, unbiased, keepdim).sqrt();
        }
        Tensor out = GradMode.noGrad(() -> varForward(dims, unbiased, keepdim).sqrt());
        return new ReductionBackward.StdBackward0(this, out, dims, unbiased ? 1 : 0, keepdim).attach(out);
    }

    /** The largest element (NaN if any is NaN). */
    public Tensor max() {
        Tensor out = Ops.reduce(ReduceOp.MAX, this, new int[0], false, dtype());
        return GradMode.isRecording(this)
                ? new ReductionBackward.EvenlyDistributedBackward("MaxBackward1", this, out).attach(out)
                : out;
    }

    public Tensor min() {
        Tensor out = Ops.reduce(ReduceOp.MIN, this, new int[0], false, dtype());
        return GradMode.isRecording(this)
                ? new ReductionBackward.EvenlyDistributedBackward("MinBackward1", this, out).attach(out)
                : out;
    }

    /** The maxima over {@code dims}. */
    public Tensor amax(int[] dims, boolean keepdim) {
        Tensor out = Ops.reduce(ReduceOp.MAX, this, dims, keepdim, dtype());
        return GradMode.isRecording(this)
                ? new ReductionBackward.AmaxAminBackward("AmaxBackward0", this, out, dims, keepdim).attach(out)
                : out;
    }

    public Tensor amin(int[] dims, boolean keepdim) {
        Tensor out = Ops.reduce(ReduceOp.MIN, this, dims, keepdim, dtype());
        return GradMode.isRecording(this)
                ? new ReductionBackward.AmaxAminBackward("AminBackward0", this, out, dims, keepdim).attach(out)
                : out;
    }

    /** The index of the largest element of the flattened tensor (the first one on ties). */
    public Tensor argmax() {
        return Ops.reduce(ReduceOp.ARGMAX, Ops.reshape(this, -1), new int[] {0}, false, DType.INT64);
    }

    public Tensor argmax(int dim, boolean keepdim) {
        return Ops.reduce(ReduceOp.ARGMAX, this, new int[] {dim}, keepdim, DType.INT64);
    }

    public Tensor argmin() {
        return Ops.reduce(ReduceOp.ARGMIN, Ops.reshape(this, -1), new int[] {0}, false, DType.INT64);
    }

    public Tensor argmin(int dim, boolean keepdim) {
        return Ops.reduce(ReduceOp.ARGMIN, this, new int[] {dim}, keepdim, DType.INT64);
    }

    // =====================================================================================================
    // Matrix products
    // =====================================================================================================

    /** PyTorch's {@code matmul}: dot product, matrix-vector, matrix-matrix, and broadcast batched products. */
    public Tensor matmul(Tensor other) {
        Tensor out = Ops.matmul(this, other);
        return GradMode.isRecording(this, other) ? new LinalgBackward.MatmulBackward(this, other).attach(out) : out;
    }

    /** Matrix-matrix product of two 2-d tensors. */
    public Tensor mm(Tensor other) {
        checkArgument(dim() == 2, "self must be a matrix");
        checkArgument(other.dim() == 2, "mat2 must be a matrix");
        return matmul(other);
    }

    /** {@code input + mat1 @ mat2} for matrices, {@code input} broadcast to the product's shape ({@code torch.addmm}). */
    public static Tensor addmm(Tensor input, Tensor mat1, Tensor mat2) {
        checkArgument(mat1.dim() == 2, () -> "mat1 must be a matrix, got " + mat1.dim() + "-D tensor");
        checkArgument(mat2.dim() == 2, () -> "mat2 must be a matrix, got " + mat2.dim() + "-D tensor");
        Tensor out;
        if (input.dtype() == mat1.dtype()) {
            out = Ops.addmm(input, mat1, mat2);
        } else {
            Tensor product = Ops.matmul(mat1, mat2);
            Shapes.expandStrides(input.impl.shape, input.impl.strides, product.impl.shape);
            out = Ops.binary(BinaryOp.ADD, product, input, false);
        }
        return GradMode.isRecording(input, mat1, mat2)
                ? new LinalgBackward.AddmmBackward0(input, mat1, mat2).attach(out)
                : out;
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
        checkArgument(numel() == 1, "only one element tensors can be converted to Java scalars");
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
        Tensor t = Ops.cast(isContiguous() ? this : Ops.contiguous(this), dtype);
        Tensor host = t.device().isCpu() ? t : Ops.toDevice(t, Device.CPU);
        HostBuffer buf = (HostBuffer) host.impl.storage.buffer();
        HostBuffer out = HostBuffer.allocate(dtype, host.numel());
        out.put(0, buf.nio(host.impl.offset, host.numel()));
        return out;
    }

    /** True when both have the same shape and the same values (after promotion); NaN is never equal. */
    public boolean equal(Tensor other) {
        if (!Arrays.equals(impl.shape, other.impl.shape)) {
            return false;
        }
        return numel() == 0 || eq(other).logicalNot().sum().itemLong() == 0;
    }

    /**
     * {@code |this - other| <= atol + rtol * |other|} element-wise, for all elements, as PyTorch's isclose: equal
     * elements (infinities included) are close, a difference must be finite, and NaN is never close.
     */
    public boolean allclose(Tensor other, double rtol, double atol) {
        Tensor a = detach().to(DType.FLOAT64);
        Tensor b = other.detach().to(DType.FLOAT64);
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
