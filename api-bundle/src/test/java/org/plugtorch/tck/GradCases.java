package org.plugtorch.tck;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.function.Function;
import org.plugtorch.DType;
import org.plugtorch.Device;
import org.plugtorch.Generator;
import org.plugtorch.Tensor;
import org.plugtorch.internal.autograd.PointwiseOp;
import org.plugtorch.internal.runtime.Ops;
import org.plugtorch.nn.Functional;
import org.plugtorch.nn.Reduction;

/**
 * Every differentiable operation, as a function of named inputs: the catalogue that the autograd kit checks
 * against finite differences and against PyTorch's recorded values. The same cases, with the same names, inputs
 * and functions, are written in Python in {@code fixtures/training/autograd_values.py}.
 *
 * <p>Non-differentiable arguments (class indices, running statistics, masks) are made inside each function on the
 * device of its first input.
 */
public final class GradCases {
    private GradCases() {}

    /** Where an input's random values are drawn from. */
    enum Domain {
        /** Uniform in ±[0.1, 2]: away from zero, where abs, relu and sign bend. */
        SIGNED,
        /** Uniform in [0.5, 2]: for logs, roots, divisors and powers. */
        POSITIVE,
        /** SIGNED with the element at flat index 1 exactly zero: for the product's rule at a zero. */
        ONE_ZERO
    }

    /** A named input: its shape, and the domain of its random values. */
    static final class Input {
        final String name;
        final long[] shape;
        final Domain domain;

        Input(String name, Domain domain, long... shape) {
            this.name = name;
            this.shape = shape;
            this.domain = domain;
        }

        /** Random values of {@code dtype} on the CPU. */
        Tensor random(Random r, DType dtype) {
            double[] v = new double[(int) TckLayout.numel(shape)];
            for (int i = 0; i < v.length; i++) {
                if (domain == Domain.POSITIVE) {
                    v[i] = 0.5 + 1.5 * r.nextDouble();
                } else {
                    v[i] = (0.1 + 1.9 * r.nextDouble()) * (r.nextBoolean() ? 1 : -1);
                }
            }
            if (domain == Domain.ONE_ZERO) {
                v[1] = 0;
            }
            return Tensor.fromArray(v, shape).to(dtype);
        }
    }

    static final Map<String, Input> INPUTS = Map.ofEntries(
            input("x", Domain.SIGNED, 2, 3),
            input("y", Domain.SIGNED, 3),
            input("p", Domain.POSITIVE, 2, 3),
            input("m", Domain.SIGNED, 3, 2),
            input("b3", Domain.SIGNED, 2, 2, 3),
            input("v2", Domain.SIGNED, 2),
            input("z", Domain.ONE_ZERO, 2, 3),
            input("w3", Domain.SIGNED, 3),
            input("bn", Domain.SIGNED, 4, 3),
            input("seq", Domain.SIGNED, 2, 3, 4),
            input("emb", Domain.SIGNED, 5, 3));

    private static Map.Entry<String, Input> input(String name, Domain domain, long... shape) {
        return Map.entry(name, new Input(name, domain, shape));
    }

    /** One differentiable computation of named inputs. */
    public static final class GradCase {
        final String name;
        final String[] inputs;
        final Function<Tensor[], Tensor> fn;

        /** False where the rule is deliberately not the derivative, so finite differences do not apply. */
        final boolean derivative;

        GradCase(String name, String[] inputs, Function<Tensor[], Tensor> fn, boolean derivative) {
            this.name = name;
            this.inputs = inputs;
            this.fn = fn;
            this.derivative = derivative;
        }

        public String name() {
            return name;
        }

        @Override
        public String toString() {
            return name;
        }
    }

    private static final List<GradCase> ALL = new ArrayList<>();

    private static void add(String name, String inputs, Function<Tensor[], Tensor> fn) {
        ALL.add(new GradCase(name, inputs.split(","), fn, true));
    }

    private static void addNotDerivative(String name, String inputs, Function<Tensor[], Tensor> fn) {
        ALL.add(new GradCase(name, inputs.split(","), fn, false));
    }

    private static Tensor onDevice(Tensor t, Tensor like) {
        return t.to(like.device());
    }

    private static Tensor indices(Tensor like, long... values) {
        return onDevice(Tensor.of(values), like);
    }

    private static Tensor inplace(Tensor z, Function<Tensor, Tensor> op) {
        op.apply(z);
        return z;
    }

    static {
        // every element-wise op of the table, with its own name and inputs: a new row is checked with no edit here
        for (PointwiseOp op : PointwiseOp.values()) {
            if (op.differentiable()) {
                add(op.name().toLowerCase(Locale.ROOT), inputsOf(op), in -> applyRow(op, in));
            }
        }
        add("add_scalar", "x", in -> in[0].add(2.5));
        add("add_alpha", "x,y", in -> in[0].add(in[1], 0.5));
        add("sub_scalar", "x", in -> in[0].sub(1.5));
        add("mul_scalar", "x", in -> in[0].mul(-2.0));
        add("mul_broadcast_middle", "b3,x", in -> in[0].mul(in[1].unsqueeze(1)));
        add("add_broadcast_both", "x,v2", in -> in[0].view(2, 3, 1).add(in[1]));
        add("div_scalar", "x", in -> in[0].div(4.0));
        add("where", "x,p", in -> Tensor.where(in[0].gt(0.0), in[0], in[1]));
        add("softmax", "x", in -> in[0].softmax(1));
        add("log_softmax", "x", in -> in[0].logSoftmax(1));
        add("logsumexp", "x", in -> in[0].logsumexp(new int[] {1}, false));
        add("sum", "x", in -> in[0].sum());
        add("sum_dim", "x", in -> in[0].sum(new int[] {0}, false));
        add("sum_keepdim", "x", in -> in[0].sum(new int[] {1}, true));
        add("mean", "x", in -> in[0].mean());
        add("mean_dim", "x", in -> in[0].mean(new int[] {1}, false));
        add("prod", "p", in -> in[0].prod());
        add("prod_one_zero", "z", in -> in[0].prod());
        add("var", "x", in -> in[0].var());
        add("var_dim_biased", "x", in -> in[0].var(new int[] {1}, false, false));
        add("std_dim", "x", in -> in[0].std(new int[] {0}, true, false));
        add("max", "x", in -> in[0].max());
        add("min", "x", in -> in[0].min());
        add("amax", "x", in -> in[0].amax(new int[] {1}, false));
        add("amin", "x", in -> in[0].amin(new int[] {0}, true));
        add("mm", "x,m", in -> in[0].mm(in[1]));
        add("matmul_mv", "x,y", in -> in[0].matmul(in[1]));
        add("matmul_dot", "y", in -> in[0].matmul(in[0]));
        add("matmul_vm", "y,m", in -> in[0].matmul(in[1]));
        add("matmul_batched", "b3,m", in -> in[0].matmul(in[1]));
        add("addmm", "v2,x,m", in -> Tensor.addmm(in[0], in[1], in[2]));
        add("view", "x", in -> in[0].view(3, 2));
        add("reshape", "x", in -> in[0].reshape(6));
        add("reshape_copy", "x", in -> in[0].t().reshape(6));
        add("flatten", "b3", in -> in[0].flatten());
        add("transpose", "b3", in -> in[0].transpose(0, 2));
        add("t", "x", in -> in[0].t());
        add("t_vector", "y", in -> in[0].t());
        add("alias", "x", in -> in[0].get());
        add("permute", "b3", in -> in[0].permute(2, 0, 1));
        add("unsqueeze", "x", in -> in[0].unsqueeze(1));
        add("squeeze", "x", in -> in[0].unsqueeze(0).squeeze());
        add("squeeze_dim", "x", in -> in[0].unsqueeze(0).squeeze(0));
        add("expand", "y", in -> in[0].expand(2, 3));
        add("slice", "x", in -> in[0].slice(1, 1, 3));
        add("slice_step", "x", in -> in[0].slice(1, 0, 3, 2));
        add("narrow", "x", in -> in[0].narrow(1, 1, 2));
        add("select", "x", in -> in[0].select(1, 2));
        add("get", "x", in -> in[0].get(1));
        add("contiguous", "x", in -> in[0].t().contiguous());
        add("clone", "x", in -> in[0].clone());
        add("to_double", "x", in -> in[0].to(DType.FLOAT64));
        add("to_cpu_and_back", "x", in -> in[0].to(Device.CPU).mul(2.0).to(in[0].device()));
        add("inplace_add", "x,y", in -> inplace(in[0].mul(1.0), z -> z.add_(in[1])));
        add("inplace_mul", "x,y", in -> inplace(in[0].mul(1.0), z -> z.mul_(in[1])));
        add("inplace_div", "x,p", in -> inplace(in[0].mul(1.0), z -> z.div_(in[1])));
        add(
                "inplace_view_mul",
                "x,y",
                in -> inplace(in[0].mul(1.0), z -> z.get(0).mul_(in[1])));
        add(
                "inplace_view_copy",
                "x,y",
                in -> inplace(in[0].mul(2.0), z -> z.get(1).copy_(in[1])));
        add(
                "inplace_sub_and_fill",
                "x,y",
                in -> inplace(in[0].mul(1.0), z -> z.sub_(in[1]).get(1).fill_(2.0)));
        add("stale_view", "x", in -> {
            Tensor z = in[0].mul(1.0);
            Tensor v = z.slice(1, 0, 2);
            z.mul_(3.0);
            return v.mul(2.0);
        });
        add("linear", "x,m,v2", in -> Functional.linear(in[0], in[1].t(), in[2]));
        add(
                "batch_norm_train",
                "bn,w3,y",
                in -> Functional.batchNorm(in[0], null, null, in[1], in[2], true, 0.1, 1e-5));
        add(
                "batch_norm_eval",
                "bn,w3,y",
                in -> Functional.batchNorm(
                        in[0],
                        onDevice(Tensor.of(0.1f, -0.2f, 0.3f), in[0]).to(in[0].dtype()),
                        onDevice(Tensor.of(1.5f, 0.5f, 2.0f), in[0]).to(in[0].dtype()),
                        in[1],
                        in[2],
                        false,
                        0.1,
                        1e-5));
        add("batch_norm_3d", "seq,w3,y", in -> Functional.batchNorm(in[0], null, null, in[1], in[2], true, 0.1, 1e-5));
        add("layer_norm", "bn,w3,y", in -> Functional.layerNorm(in[0], new long[] {3}, in[1], in[2], 1e-5));
        add("dropout", "x", in -> Functional.dropout(in[0], 0.4, true, new Generator(7)));
        add("relu6", "x", in -> Functional.relu6(in[0].mul(4.0)));
        add(
                "embedding",
                "emb",
                in -> Functional.embedding(indices(in[0], 1, 3, 1, 4).view(2, 2), in[0], null));
        // the padding row takes part in the forward pass but, by definition, gets no gradient
        addNotDerivative(
                "embedding_padding",
                "emb",
                in -> Functional.embedding(indices(in[0], 1, 3, 1, 4).view(2, 2), in[0], 1L));
        add("mse", "x,p", in -> Functional.mseLoss(in[0], in[1], Reduction.MEAN));
        add("mse_sum", "x,p", in -> Functional.mseLoss(in[0], in[1], Reduction.SUM));
        add("cross_entropy", "bn", in -> Functional.crossEntropy(in[0], indices(in[0], 0, 2, 1, 2)));
        add(
                "cross_entropy_weighted_ignore",
                "bn",
                in -> Functional.crossEntropy(
                        in[0],
                        indices(in[0], 0, 1, 2, 2),
                        onDevice(Tensor.of(0.2f, 1.0f, 0.5f), in[0]).to(in[0].dtype()),
                        1,
                        Reduction.MEAN));
        add(
                "nll_none",
                "bn",
                in -> Functional.nllLoss(in[0].logSoftmax(1), indices(in[0], 0, 2, 1, 2), null, -100, Reduction.NONE));
    }

    /** {@code x} (signed) or {@code p} (positive) for self; for other, {@code p}, or {@code y} (or {@code x} after p). */
    private static String inputsOf(PointwiseOp op) {
        String self = op.positiveInput(0) ? "p" : "x";
        if (op.arity() == 1 || op.otherIsNumber()) {
            return self;
        }
        return self + "," + (op.positiveInput(1) ? "p" : self.equals("x") ? "y" : "x");
    }

    /** The row on the case's inputs, with the scalars gradient checks use (a number input made from the first). */
    private static Tensor applyRow(PointwiseOp op, Tensor[] in) {
        double[] scalars = op.checkScalars();
        if (op.arity() == 1) {
            return op.apply(in[0], scalars);
        }
        if (op.otherIsNumber()) {
            return op.apply(in[0], Ops.number(scalars[0]), true);
        }
        return op.apply(in[0], in[1], false, scalars);
    }

    /** The cases whose gradient is the derivative of their function, for finite differences. */
    public static List<GradCase> derivatives() {
        List<GradCase> out = new ArrayList<>();
        for (GradCase c : ALL) {
            if (c.derivative) {
                out.add(c);
            }
        }
        return out;
    }

    /** Every case, in catalogue order. */
    public static List<GradCase> all() {
        return Collections.unmodifiableList(ALL);
    }

    /**
     * The gradient PyTorch sends back through a case's result in the recorded fixtures (and the one used here for
     * PyTorch comparisons): {@code 0.1 * ((7k) mod 11) - 0.45} at flat index k.
     */
    static Tensor pattern(long[] shape, DType dtype) {
        int n = (int) TckLayout.numel(shape);
        double[] v = new double[n];
        for (int k = 0; k < n; k++) {
            v[k] = 0.1 * ((k * 7) % 11) - 0.45;
        }
        return Tensor.fromArray(v, shape).to(dtype);
    }
}
