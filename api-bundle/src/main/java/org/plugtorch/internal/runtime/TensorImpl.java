package org.plugtorch.internal.runtime;

import org.plugtorch.DType;
import org.plugtorch.Device;
import org.plugtorch.Tensor;

/**
 * A tensor's state below the API, PyTorch's {@code TensorImpl}: the view (storage, offset, shape, strides) and, once
 * autograd needs it, the tensor's {@link AutogradMeta}. There is one per {@code Tensor} object for that object's
 * whole life: moves and {@code setData} re-point these fields, which is how a tensor keeps its identity while its
 * data moves. The internal packages reach it through {@link Tensors#impl}.
 */
public final class TensorImpl {
    public Storage storage;
    public long offset;
    public long[] shape;
    public long[] strides;
    /**
     * For a view of a floating-point tensor, the tensor it is a view of (never itself a view), else null: PyTorch's
     * {@code DifferentiableViewMeta} base, which in-place operations on the view and its history refer to.
     */
    public Tensor base;
    /** The storage's version when this view's history was last made current. */
    public int viewVersion;
    /**
     * Null until autograd needs it (PyTorch's {@code autograd_meta_}): a tensor that never required grad and is not
     * a view of a floating-point tensor carries none, and operations on it never look further than this field.
     */
    public AutogradMeta autograd;

    public TensorImpl(Storage storage, long offset, long[] shape, long[] strides) {
        this.storage = storage;
        this.offset = offset;
        this.shape = shape;
        this.strides = strides;
    }

    public DType dtype() {
        return storage.dtype();
    }

    public Device device() {
        return storage.device();
    }

    public long numel() {
        return Shapes.numel(shape);
    }

    public int dim() {
        return shape.length;
    }

    public boolean isContiguous() {
        return Shapes.isContiguous(shape, strides);
    }

    /** The autograd state, made when first needed. */
    public AutogradMeta autogradForWrite() {
        AutogradMeta m = autograd;
        if (m == null) {
            m = new AutogradMeta();
            autograd = m;
        }
        return m;
    }
}
