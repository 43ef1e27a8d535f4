package org.plugtorch.nn;

import org.plugtorch.DType;
import org.plugtorch.Device;
import org.plugtorch.GradMode;
import org.plugtorch.Tensor;

/**
 * {@code y = x·Wᵀ + b}, with {@code weight} of shape {@code [out, in]} and {@code bias} of shape {@code [out]} (or a
 * null slot when {@code bias == false}). Initialised as PyTorch does (Kaiming-uniform weight, uniform bias, both in
 * {@code ±1/√in}) from the default {@link org.plugtorch.Generator}, so a seed gives PyTorch's weights.
 */
public class Linear extends Module {
    public final long inFeatures;
    public final long outFeatures;
    /**
     * The weight registered at construction: moves and loads keep it the same object. Registering another
     * parameter under {@code "weight"} (tying it to another layer's) changes the slot, which {@code forward} reads,
     * and not this field.
     */
    public final Parameter weight;
    /** The bias registered at construction, or null when the layer has none; see {@link #weight}. */
    public final Parameter bias;

    public Linear(long inFeatures, long outFeatures) {
        this(inFeatures, outFeatures, true);
    }

    public Linear(long inFeatures, long outFeatures, boolean bias) {
        this(inFeatures, outFeatures, bias, DType.FLOAT32, Device.CPU);
    }

    public Linear(long inFeatures, long outFeatures, boolean bias, DType dtype, Device device) {
        this.inFeatures = inFeatures;
        this.outFeatures = outFeatures;
        this.weight = parameter("weight", Tensor.zeros(new long[] {outFeatures, inFeatures}, dtype, Device.CPU));
        this.bias = bias
                ? parameter("bias", Tensor.zeros(new long[] {outFeatures}, dtype, Device.CPU))
                : registerParameter("bias", (Parameter) null);
        resetParameters();
        if (!device.isCpu()) {
            to(device);
        }
    }

    /** PyTorch's {@code reset_parameters}: {@code kaiming_uniform_(weight, a=√5)}, then bias uniform in {@code ±1/√fan_in}. */
    public void resetParameters() {
        Tensor weight = weightSlot();
        Tensor bias = biasSlot();
        // as PyTorch's init functions, outside autograd: the parameters are leaves that require grad
        GradMode scope = GradMode.noGrad();
        try {
            if (weight.numel() > 0) {
                double a = Math.sqrt(5);
                double gain = Math.sqrt(2.0 / (1 + a * a));
                double bound = Math.sqrt(3.0) * (gain / Math.sqrt(inFeatures));
                weight.uniform_(-bound, bound);
            }
            if (bias != null) {
                double bound = inFeatures > 0 ? 1 / Math.sqrt(inFeatures) : 0;
                bias.uniform_(-bound, bound);
            }
        } finally {
            scope.close();
        }
    }

    /** {@link Functional#linear}: one {@code addmm} for a batch of rows, as PyTorch. */
    @Override
    public Tensor forward(Tensor input) {
        return Functional.linear(input, weightSlot(), biasSlot());
    }

    @Override
    public String extraRepr() {
        return "in_features=" + inFeatures + ", out_features=" + outFeatures + ", bias="
                + (biasSlot() != null ? "True" : "False");
    }

    private Tensor weightSlot() {
        return (Tensor) getAttr("weight");
    }

    private Tensor biasSlot() {
        return (Tensor) getAttr("bias");
    }
}
