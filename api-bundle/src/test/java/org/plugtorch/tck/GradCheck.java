package org.plugtorch.tck;

import java.util.Random;
import org.opentest4j.AssertionFailedError;
import org.plugtorch.DType;
import org.plugtorch.Device;
import org.plugtorch.GradMode;
import org.plugtorch.Tensor;

/**
 * PyTorch's {@code gradcheck}, for one case on one device: the gradients that backward computes are compared with
 * central finite differences of the same function, element by element. The function is reduced to a scalar by a
 * random cotangent {@code v}: the analytic side is {@code f(x).backward(v)}, the numeric side is
 * {@code (sum(f(x + eps) * v) - sum(f(x - eps) * v)) / 2 eps} for each element of each input.
 *
 * <p>In float64 the step and tolerances are PyTorch's ({@code eps = 1e-6}, {@code atol = 1e-5},
 * {@code rtol = 1e-3}); a device without float64 is checked in float32 with a step and tolerances fitted to its
 * precision ({@code eps = 1e-2}, {@code atol = 1e-2}, {@code rtol = 2e-2}).
 */
public final class GradCheck {
    private final Device device;
    private final DType dtype;
    private final double eps;
    private final double atol;
    private final double rtol;

    public GradCheck(Device device, DType dtype) {
        this.device = device;
        this.dtype = dtype;
        boolean doubles = dtype == DType.FLOAT64;
        this.eps = doubles ? 1e-6 : 1e-2;
        this.atol = doubles ? 1e-5 : 1e-2;
        this.rtol = doubles ? 1e-3 : 2e-2;
    }

    /** Checks every input's gradient of {@code c}; fails with the first element that differs. */
    public void check(GradCases.GradCase c) {
        Random r = new Random(0x6AD_C4EC4L ^ c.name.hashCode());
        Tensor[] host = new Tensor[c.inputs.length];
        for (int i = 0; i < host.length; i++) {
            host[i] = GradCases.INPUTS.get(c.inputs[i]).random(r, dtype);
        }
        Tensor[] leaves = new Tensor[host.length];
        for (int i = 0; i < host.length; i++) {
            leaves[i] = host[i].to(device).requiresGrad_(true);
        }
        Tensor out = c.fn.apply(leaves);
        Tensor cotangent = randomLike(r, out.shape()).to(device);
        out.backward(cotangent);
        for (int i = 0; i < host.length; i++) {
            Tensor grad = leaves[i].grad();
            double[] analytic = grad == null ? new double[(int) host[i].numel()] : checkedGrad(c, i, grad, leaves[i]);
            double[] values = host[i].toDoubleArray();
            for (int j = 0; j < values.length; j++) {
                double numeric = (objective(c, host, i, j, values, eps, cotangent)
                                - objective(c, host, i, j, values, -eps, cotangent))
                        / (2 * eps);
                if (!(Math.abs(analytic[j] - numeric) <= atol + rtol * Math.abs(numeric))) {
                    throw new AssertionFailedError(c.name + " on " + device + " (" + dtype + "): gradient of input "
                            + c.inputs[i] + " at flat index " + j + " is " + analytic[j] + ", finite differences give "
                            + numeric);
                }
            }
        }
    }

    private double[] checkedGrad(GradCases.GradCase c, int i, Tensor grad, Tensor leaf) {
        if (!grad.device().equals(device)
                || grad.dtype() != dtype
                || !java.util.Arrays.equals(grad.shape(), leaf.shape())) {
            throw new AssertionFailedError(c.name + ": gradient of input " + c.inputs[i] + " is " + grad.dtype()
                    + " " + java.util.Arrays.toString(grad.shape()) + " on " + grad.device() + ", expected " + dtype
                    + " " + java.util.Arrays.toString(leaf.shape()) + " on " + device);
        }
        return grad.toDoubleArray();
    }

    /** {@code sum(f(inputs with element j of input i moved by delta) * cotangent)}, computed on the device. */
    private double objective(
            GradCases.GradCase c, Tensor[] host, int i, int j, double[] values, double delta, Tensor cotangent) {
        double[] moved = values.clone();
        moved[j] += delta;
        Tensor[] args = new Tensor[host.length];
        for (int k = 0; k < host.length; k++) {
            Tensor t = k == i ? Tensor.fromArray(moved, host[k].shape()).to(dtype) : host[k];
            args[k] = t.to(device);
        }
        return GradMode.noGrad(() -> c.fn.apply(args))
                .to(DType.FLOAT64)
                .mul(cotangent.to(DType.FLOAT64))
                .sum()
                .item();
    }

    private Tensor randomLike(Random r, long[] shape) {
        double[] v = new double[(int) TckLayout.numel(shape)];
        for (int k = 0; k < v.length; k++) {
            v[k] = r.nextGaussian();
        }
        return Tensor.fromArray(v, shape).to(dtype);
    }
}
