package org.plugtorch.nn;

import org.plugtorch.DType;
import org.plugtorch.Device;
import org.plugtorch.Tensor;
import org.plugtorch.internal.runtime.PyRepr;

/**
 * Layer normalisation over the trailing dimensions {@code normalizedShape}, as PyTorch's {@code LayerNorm}: each
 * leading index is normalised with its own mean and biased variance, then scaled by {@code weight} (ones) and
 * shifted by {@code bias} (zeros), both of {@code normalizedShape}, when {@code elementwiseAffine}. It has no
 * running statistics: training and evaluation compute the same.
 */
public class LayerNorm extends Module {
    private final long[] normalizedShape;
    public final double eps;
    public final boolean elementwiseAffine;
    public final Parameter weight;
    public final Parameter bias;

    /** {@code LayerNorm(normalizedShape, eps=1e-5, elementwiseAffine=true)}. */
    public LayerNorm(long... normalizedShape) {
        this(normalizedShape, 1e-5, true);
    }

    public LayerNorm(long[] normalizedShape, double eps, boolean elementwiseAffine) {
        this.normalizedShape = normalizedShape.clone();
        this.eps = eps;
        this.elementwiseAffine = elementwiseAffine;
        if (elementwiseAffine) {
            weight = parameter("weight", Tensor.ones(normalizedShape, DType.FLOAT32, Device.CPU));
            bias = parameter("bias", Tensor.zeros(normalizedShape, DType.FLOAT32, Device.CPU));
        } else {
            weight = registerParameter("weight", (Parameter) null);
            bias = registerParameter("bias", (Parameter) null);
        }
    }

    /** The trailing shape normalised over (a copy). */
    public long[] normalizedShape() {
        return normalizedShape.clone();
    }

    @Override
    public Tensor forward(Tensor input) {
        return Functional.layerNorm(input, normalizedShape, (Tensor) getAttr("weight"), (Tensor) getAttr("bias"), eps);
    }

    @Override
    public String extraRepr() {
        return PyRepr.ofTuple(normalizedShape) + ", eps=" + PyRepr.ofDouble(eps) + ", elementwise_affine="
                + PyRepr.ofBoolean(elementwiseAffine);
    }
}
