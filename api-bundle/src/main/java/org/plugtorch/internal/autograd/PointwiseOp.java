package org.plugtorch.internal.autograd;

import static org.plugtorch.internal.autograd.PointwiseOp.Saved.NOTHING;
import static org.plugtorch.internal.autograd.PointwiseOp.Saved.OTHER;
import static org.plugtorch.internal.autograd.PointwiseOp.Saved.RESULT;
import static org.plugtorch.internal.autograd.PointwiseOp.Saved.SELF;

import java.util.Locale;
import org.plugtorch.GradMode;
import org.plugtorch.Node;
import org.plugtorch.Tensor;
import org.plugtorch.internal.runtime.Ops;
import org.plugtorch.spi.BinaryOp;
import org.plugtorch.spi.UnaryOp;

/**
 * Every element-wise operation, one row each (PyTorch keeps the same facts in {@code derivatives.yaml} and its
 * OpInfo list): the name PyTorch gives it, how it is computed (a kernel of the backend SPI, whose constant declares
 * the dtypes it takes and the dtype it gives, or a composition of kernels), what its backward pass saves, and its
 * derivative with respect to each input. {@code Tensor}'s element-wise methods run the rows; one generic node
 * ({@link PointwiseNode}) records them, named from the row ({@code ExpBackward0}); and the test kit builds its
 * gradient checks from them. Adding an element-wise op is adding its row here, and a kernel case per backend when
 * it has a kernel of its own.
 *
 * <p>A row's inputs are {@code self} and, for two-input rows, {@code other}; numbers that parametrise a row
 * ({@code alpha}, a clamp's bounds) are its scalars. A derivative reads what the row saved ({@link Saved}), and
 * only what the inputs that need a gradient read is saved.
 */
public enum PointwiseOp {
    // ---- one input ----
    NEG(unary("neg", UnaryOp.NEG).grad(NOTHING, (g, s) -> g.neg())),
    ABS(unary("abs", UnaryOp.ABS).grad(SELF, (g, s) -> g.mul(s.self().sign()))),
    /** Flat almost everywhere. */
    SIGN(unary("sign", UnaryOp.SIGN).grad(NOTHING, (g, s) -> Gradients.zerosOf(g))),
    /** PyTorch's {@code threshold_backward(grad, result, 0)}: no gradient where the result is not positive. */
    RELU(unary("relu", UnaryOp.RELU)
            .grad(RESULT, (g, s) -> Tensor.where(s.result().le(0.0), Gradients.zero(g), g))),
    EXP(unary("exp", UnaryOp.EXP).grad(RESULT, (g, s) -> g.mul(s.result()))),
    LOG(unary("log", UnaryOp.LOG).positive().grad(SELF, (g, s) -> g.div(s.self()))),
    SQRT(unary("sqrt", UnaryOp.SQRT)
            .positive()
            .grad(RESULT, (g, s) -> g.div(s.result().mul(2.0)))),
    RSQRT(unary("rsqrt", UnaryOp.RSQRT)
            .positive()
            .grad(RESULT, (g, s) -> g.mul(-0.5).mul(s.result().pow(3L)))),
    RECIPROCAL(unary("reciprocal", UnaryOp.RECIPROCAL)
            .positive()
            .grad(RESULT, (g, s) -> g.neg().mul(s.result().mul(s.result())))),
    SIN(unary("sin", UnaryOp.SIN).grad(SELF, (g, s) -> g.mul(s.self().cos()))),
    COS(unary("cos", UnaryOp.COS).grad(SELF, (g, s) -> g.mul(s.self().sin().neg()))),
    TANH(unary("tanh", UnaryOp.TANH)
            .grad(RESULT, (g, s) -> g.mul(s.result().mul(s.result()).neg().add(1L)))),
    SIGMOID(unary("sigmoid", UnaryOp.SIGMOID)
            .grad(RESULT, (g, s) -> g.mul(s.result().neg().add(1L).mul(s.result())))),
    /** {@code 2/sqrt(pi) * exp(-x^2)}, as PyTorch's derivative. */
    ERF(unary("erf", UnaryOp.ERF)
            .grad(SELF, (g, s) -> g.mul(s.self().square().neg().exp().mul(Constants.TWO_OVER_ROOT_PI)))),
    /** PyTorch's {@code gelu_backward}: {@code cdf(x) + x * pdf(x)}. */
    GELU(unary("gelu", UnaryOp.GELU).grad(SELF, (g, s) -> {
        Tensor x = s.self();
        Tensor cdf = x.mul(UnaryOp.GELU_SCALE).erf().add(1L).mul(0.5);
        Tensor pdf = x.square().mul(-0.5).exp().mul(Constants.ONE_OVER_ROOT_TWO_PI);
        return g.mul(cdf.add(x.mul(pdf)));
    })),
    /** {@code gelu(approximate='tanh')}; PyTorch's node is GeluBackward0 for both forms. */
    GELU_TANH(unary("gelu_tanh", UnaryOp.GELU_TANH).node("GeluBackward0").grad(SELF, (g, s) -> {
        Tensor x = s.self();
        Tensor inner = x.add(x.square().mul(x).mul(UnaryOp.GELU_TANH_CUBIC)).mul(UnaryOp.GELU_TANH_SCALE);
        Tensor t = inner.tanh();
        Tensor left = t.add(1L).mul(0.5);
        Tensor right = x.mul(0.5)
                .mul(t.square().neg().add(1L))
                .mul(UnaryOp.GELU_TANH_SCALE)
                .mul(x.square().mul(3 * UnaryOp.GELU_TANH_CUBIC).add(1L));
        return g.mul(left.add(right));
    })),
    /** {@code sigmoid(x) * (1 + x * (1 - sigmoid(x)))}, as PyTorch's {@code silu_backward}. */
    SILU(unary("silu", UnaryOp.SILU).grad(SELF, (g, s) -> {
        Tensor sigmoid = s.self().sigmoid();
        return g.mul(sigmoid.mul(s.self().mul(sigmoid.neg().add(1L)).add(1L)));
    })),
    /** {@code x > 0 ? x : x * negative_slope} (scalar 0); the gradient is the slope where x is not positive. */
    LEAKY_RELU(unary("leaky_relu")
            .defaults(0.01)
            .checkedWith(0.2)
            .computed((x, o, w, k) -> Ops.binary(BinaryOp.LEAKY_RELU, x, Ops.number(k[0]), true))
            .grad(SELF, (g, s) -> Tensor.where(s.self().gt(0.0), g, g.mul(s.scalar(0))))),
    /**
     * {@code hardtanh(x, min_val, max_val)} (ReLU6 is {@code hardtanh(x, 0, 6)}): clamps as clamp does, but the
     * gradient stops at the bounds themselves (clamp's passes there).
     */
    HARDTANH(unary("hardtanh")
            .defaults(-1.0, 1.0)
            .computed(PointwiseOp::hardtanhForward)
            .grad(
                    SELF,
                    (g, s) -> Tensor.where(
                            s.self().gt(s.scalar(0)).logicalAnd(s.self().lt(s.scalar(1))), g, Gradients.zero(g)))),
    /** {@code x * x}, recorded as PyTorch records it: {@code square} is {@code pow(x, 2)} there. */
    SQUARE(unary("square")
            .node("PowBackward0")
            .computed((x, o, w, k) -> Ops.binary(BinaryOp.MUL, x, x, false))
            .grad(SELF, (g, s) -> g.mul(s.self().mul(2.0)))),
    /** Limits every element to {@code [min, max]} (scalars 0 and 1); the gradient passes at the bounds too. */
    CLAMP(unary("clamp")
            .overload(1)
            .checkedWith(-0.5, 1.0)
            .computed(PointwiseOp::clampForward)
            .grad(
                    SELF,
                    (g, s) -> Tensor.where(
                            s.self().ge(s.scalar(0)).logicalAnd(s.self().le(s.scalar(1))), g, Gradients.zero(g)))),
    CLAMP_MIN(unary("clamp_min")
            .checkedWith(0.4)
            .computed((x, o, w, k) -> Ops.binary(BinaryOp.MAXIMUM, x, Ops.number(k[0]), true))
            .grad(SELF, (g, s) -> Tensor.where(s.self().ge(s.scalar(0)), g, Gradients.zero(g)))),
    LOGICAL_NOT(unary("logical_not", UnaryOp.LOGICAL_NOT)),

    // ---- two inputs ----
    /** {@code self + alpha * other} (alpha is scalar 0). */
    ADD(binary("add", BinaryOp.ADD)
            .alpha()
            .grad(NOTHING, (g, s) -> g)
            .grad(NOTHING, (g, s) -> s.scalar(0) == 1 ? g : g.mul(s.scalar(0)))),
    /** {@code self - alpha * other} (alpha is scalar 0). */
    SUB(binary("sub", BinaryOp.SUB)
            .alpha()
            .grad(NOTHING, (g, s) -> g)
            .grad(NOTHING, (g, s) -> s.scalar(0) == 1 ? g.neg() : g.mul(-s.scalar(0)))),
    MUL(binary("mul", BinaryOp.MUL).grad(OTHER, (g, s) -> g.mul(s.other())).grad(SELF, (g, s) -> g.mul(s.self()))),
    DIV(binary("div", BinaryOp.DIV)
            .positiveOther()
            .grad(OTHER, (g, s) -> g.div(s.other()))
            .grad(SELF | OTHER, (g, s) -> g.neg().mul(s.self().div(s.other()).div(s.other())))),
    /**
     * {@code self ** exponent} for a number exponent, given as a wrapped number ({@code other}) so that an integer
     * tensor to an integer power stays an integer tensor.
     */
    POW_SCALAR(binary("pow", BinaryOp.POW)
            .numberOther()
            .checkedWith(2.5)
            .positive()
            .grad(SELF | OTHER, (g, s) -> {
                double e = s.other().item();
                return e == 0 ? Gradients.zerosOf(g) : g.mul(s.self().pow(e - 1).mul(e));
            })
            .grad(NOTHING, null)),
    /** {@code self ** other} for a tensor exponent. */
    POW_TENSOR(binary("pow", BinaryOp.POW)
            .overload(1)
            .positive()
            .grad(
                    SELF | OTHER,
                    (g, s) -> Tensor.where(
                            s.other().eq(0.0),
                            Gradients.zero(g),
                            g.mul(s.other().mul(s.self().pow(s.other().sub(1L))))))
            .grad(
                    SELF | RESULT,
                    (g, s) -> g.mul(Tensor.where(
                            s.self().eq(0.0).logicalAnd(s.other().ge(0.0)),
                            Gradients.zero(g),
                            s.result().mul(s.self().log()))))),
    /** The larger input gets the gradient; ties share it. */
    MAXIMUM(binary("maximum", BinaryOp.MAXIMUM)
            .grad(SELF | OTHER, (g, s) -> extremumGrad(g, s.self().lt(s.other()), s))
            .grad(SELF | OTHER, (g, s) -> extremumGrad(g, s.self().gt(s.other()), s))),
    MINIMUM(binary("minimum", BinaryOp.MINIMUM)
            .grad(SELF | OTHER, (g, s) -> extremumGrad(g, s.self().gt(s.other()), s))
            .grad(SELF | OTHER, (g, s) -> extremumGrad(g, s.self().lt(s.other()), s))),
    EQ(binary("eq", BinaryOp.EQ)),
    NE(binary("ne", BinaryOp.NE)),
    LT(binary("lt", BinaryOp.LT)),
    LE(binary("le", BinaryOp.LE)),
    GT(binary("gt", BinaryOp.GT)),
    GE(binary("ge", BinaryOp.GE)),
    LOGICAL_AND(binary("logical_and", BinaryOp.LOGICAL_AND)),
    LOGICAL_OR(binary("logical_or", BinaryOp.LOGICAL_OR));

    /** Numbers the derivatives use (apart, since enum constants cannot read the enum's own static fields). */
    private static final class Constants {
        static final double TWO_OVER_ROOT_PI = 1.1283791670955126;
        static final double ONE_OVER_ROOT_TWO_PI = 0.3989422804014327;
    }

    /** What a derivative reads: bits of a mask, since a derivative may read several. */
    public static final class Saved {
        public static final int NOTHING = 0;
        public static final int SELF = 1;
        public static final int OTHER = 2;
        public static final int RESULT = 4;

        private Saved() {}
    }

    /** The values a derivative may read: the inputs and result the node saved, and the row's scalars. */
    public interface Values {
        Tensor self();

        Tensor other();

        Tensor result();

        double scalar(int i);
    }

    /** The gradient of one input, given the gradient of the result. */
    @FunctionalInterface
    public interface Derivative {
        Tensor of(Tensor grad, Values saved);
    }

    /** How a row computes its result from its inputs ({@code other} is null for one-input rows). */
    @FunctionalInterface
    public interface Forward {
        Tensor compute(Tensor self, Tensor other, boolean otherIsNumber, double[] scalars);
    }

    final String torchName;
    final String nodeName;
    final int arity;
    final UnaryOp unaryKernel;
    final BinaryOp binaryKernel;
    /** A composed row's computation; null for a row that is its kernel (called directly: no lambda in between). */
    private final Forward forward;
    /** Scalar 0 scales {@code other} ({@code alpha} of add and sub). */
    private final boolean alpha;

    final Derivative[] derivatives;
    final int[] reads;
    private final double[] defaults;
    private final double[] checkScalars;
    private final boolean positiveSelf;
    private final boolean positiveOther;
    private final boolean numberOther;

    PointwiseOp(Row r) {
        this.torchName = r.torchName;
        this.nodeName = r.nodeName != null ? r.nodeName : camel(r.torchName) + "Backward" + r.overload;
        this.arity = r.arity;
        this.unaryKernel = r.unaryKernel;
        this.binaryKernel = r.binaryKernel;
        this.forward = r.forward;
        this.alpha = r.alpha;
        if (r.derivativeCount != 0 && r.derivativeCount != r.arity) { // a row is complete or has no gradient
            throw new IllegalStateException(
                    name() + ": " + r.derivativeCount + " derivatives for " + r.arity + " inputs");
        }
        this.derivatives = r.derivativeCount == 0 ? null : r.derivatives;
        this.reads = r.reads;
        this.defaults = r.defaults;
        this.checkScalars = r.checked != null ? r.checked : r.defaults;
        this.positiveSelf = r.positiveSelf;
        this.positiveOther = r.positiveOther;
        this.numberOther = r.numberOther;
    }

    /** PyTorch's name of the operation ({@code exp}, {@code clamp_min}). */
    public String torchName() {
        return torchName;
    }

    /** The name of the node recording it, as PyTorch prints it ({@code ExpBackward0}). */
    public String nodeName() {
        return nodeName;
    }

    /** How many tensor inputs it takes: 1 or 2. */
    public int arity() {
        return arity;
    }

    /** False for the rows without a gradient (comparisons and logical operations). */
    public boolean differentiable() {
        return derivatives != null;
    }

    /** The scalars a gradient check runs the row with. */
    public double[] checkScalars() {
        return checkScalars.clone();
    }

    /** The scalars of a call: those given, then the row's defaults for the rest. */
    private double[] withDefaults(double[] given) {
        if (given.length >= defaults.length) {
            return given;
        }
        if (given.length == 0) {
            return defaults; // shared: the scalars are only read
        }
        double[] all = defaults.clone();
        System.arraycopy(given, 0, all, 0, given.length);
        return all;
    }

    /** True when input {@code i}'s gradient is checked on positive values only (logs, roots, divisors, powers). */
    public boolean positiveInput(int i) {
        return i == 0 ? positiveSelf : positiveOther;
    }

    /**
     * True when the second input is always a number standing for a scalar (a gradient check makes it from
     * {@link #checkScalars()}), never a tensor that could require grad.
     */
    public boolean otherIsNumber() {
        return numberOther;
    }

    /** The kernel of a one-input row that runs alone, or null. */
    public UnaryOp unaryKernel() {
        return unaryKernel;
    }

    /** The kernel of a two-input row that runs alone, or null. */
    public BinaryOp binaryKernel() {
        return binaryKernel;
    }

    // ---- running a row ----

    private static final double[] NO_SCALARS = {};

    /** A one-input row on {@code self}. */
    public Tensor apply(Tensor self) {
        return apply(self, NO_SCALARS);
    }

    /** A one-input row with its scalars (those not given take the row's defaults). */
    public Tensor apply(Tensor self, double... given) {
        double[] scalars = withDefaults(given);
        Tensor out = compute(self, null, false, scalars);
        return derivatives != null && GradMode.isRecording(self)
                ? new PointwiseNode(this, self, null, scalars, out, false).attach(out)
                : out;
    }

    /** A two-input row; {@code otherIsNumber} marks an {@code other} standing for a Java number (it promotes less). */
    public Tensor apply(Tensor self, Tensor other, boolean otherIsNumber) {
        return apply(self, other, otherIsNumber, NO_SCALARS);
    }

    public Tensor apply(Tensor self, Tensor other, boolean otherIsNumber, double... given) {
        double[] scalars = withDefaults(given);
        Tensor out = compute(self, other, otherIsNumber, scalars);
        return derivatives != null && GradMode.isRecording(self, other)
                ? new PointwiseNode(this, self, other, scalars, out, false).attach(out)
                : out;
    }

    /** The in-place form of a two-input kernel row, {@code self op= other} (with alpha, for add and sub); returns self. */
    public Tensor applyInPlace(Tensor self, Tensor other, boolean otherIsNumber) {
        return applyInPlace(self, other, otherIsNumber, NO_SCALARS);
    }

    public Tensor applyInPlace(Tensor self, Tensor other, boolean otherIsNumber, double... given) {
        double[] scalars = withDefaults(given);
        Node fn = InPlace.begin(self, other) && derivatives != null
                ? new PointwiseNode(this, self, other, scalars, null, true)
                : null;
        double alpha = scalars.length == 0 ? 1 : scalars[0];
        if (alpha == 1) {
            Ops.binaryInPlace(binaryKernel, self, other, otherIsNumber);
        } else if (this != ADD || !Ops.addScaledInPlace(self, other, alpha)) {
            Ops.binaryInPlace(binaryKernel, self, Ops.binary(BinaryOp.MUL, other, Ops.number(alpha), true), false);
        }
        return InPlace.end(self, fn, other);
    }

    private Tensor compute(Tensor self, Tensor other, boolean otherIsNumber, double[] scalars) {
        if (forward != null) {
            return forward.compute(self, other, otherIsNumber, scalars);
        }
        if (unaryKernel != null) {
            return Ops.unary(unaryKernel, self);
        }
        if (alpha && scalars[0] != 1) {
            return Ops.binary(binaryKernel, self, Ops.binary(BinaryOp.MUL, other, Ops.number(scalars[0]), true), false);
        }
        return Ops.binary(binaryKernel, self, other, otherIsNumber);
    }

    // ---- the row builder ----

    private static final class Row {
        final String torchName;
        final int arity;
        final UnaryOp unaryKernel;
        final BinaryOp binaryKernel;
        String nodeName;
        int overload;
        Forward forward;
        final Derivative[] derivatives = new Derivative[2];
        final int[] reads = new int[2];
        int derivativeCount;
        double[] defaults = new double[0];
        double[] checked;
        boolean positiveSelf;
        boolean positiveOther;
        boolean numberOther;
        boolean alpha;

        Row(String torchName, int arity, UnaryOp unaryKernel, BinaryOp binaryKernel) {
            this.torchName = torchName;
            this.arity = arity;
            this.unaryKernel = unaryKernel;
            this.binaryKernel = binaryKernel;
        }

        /** The node's name when it is not PyTorch's rule ({@code camel(torchName) + "Backward" + overload}). */
        Row node(String name) {
            this.nodeName = name;
            return this;
        }

        /** PyTorch's overload index, the digit ending the node's name ({@code ClampBackward1}). */
        Row overload(int index) {
            this.overload = index;
            return this;
        }

        Row computed(Forward f) {
            this.forward = f;
            return this;
        }

        /** Scalar 0 is {@code alpha}, scaling {@code other} (1 when not given), as add's and sub's. */
        Row alpha() {
            this.alpha = true;
            return defaults(1.0);
        }

        /** Default values of the row's scalars, for calls that give none ({@code alpha = 1}). */
        Row defaults(double... values) {
            this.defaults = values;
            return this;
        }

        /** The scalars a gradient check runs the row with, when they are not the defaults. */
        Row checkedWith(double... values) {
            this.checked = values;
            return this;
        }

        /** Gradient checks run it on positive values of self (logs, roots, a power's base). */
        Row positive() {
            this.positiveSelf = true;
            return this;
        }

        /** Its second input is always a number standing for a scalar ({@code pow(x, 2.5)}), never a tensor. */
        Row numberOther() {
            this.numberOther = true;
            return this;
        }

        Row positiveOther() {
            this.positiveOther = true;
            return this;
        }

        /**
         * The derivative with respect to the next input, reading the saved values in {@code reads}; null for an
         * input that never gets a gradient (a number standing for a scalar).
         */
        Row grad(int reads, Derivative d) {
            this.reads[derivativeCount] = reads;
            this.derivatives[derivativeCount++] = d;
            return this;
        }
    }

    private static Row unary(String torchName, UnaryOp kernel) {
        return new Row(torchName, 1, kernel, null);
    }

    private static Row unary(String torchName) {
        return new Row(torchName, 1, null, null);
    }

    private static Row binary(String torchName, BinaryOp kernel) {
        return new Row(torchName, 2, null, kernel);
    }

    /** {@code leaky_relu} to {@code LeakyRelu}. */
    private static String camel(String snake) {
        StringBuilder b = new StringBuilder();
        for (String part : snake.split("_")) {
            b.append(part.substring(0, 1).toUpperCase(Locale.ROOT)).append(part.substring(1));
        }
        return b.toString();
    }

    /** {@code min(max(x, lower), upper)} for scalars 0 and 1: NaN stays NaN. */
    private static Tensor clampForward(Tensor x, Tensor other, boolean otherIsNumber, double[] k) {
        return Ops.binary(
                BinaryOp.MINIMUM, Ops.binary(BinaryOp.MAXIMUM, x, Ops.number(k[0]), true), Ops.number(k[1]), true);
    }

    /** As clamp, but an integer tensor stays integer, its bounds truncated toward zero (PyTorch's hardtanh). */
    private static Tensor hardtanhForward(Tensor x, Tensor other, boolean otherIsNumber, double[] k) {
        if (x.isFloatingPoint()) {
            return clampForward(x, other, otherIsNumber, k);
        }
        return Ops.binary(
                BinaryOp.MINIMUM,
                Ops.binary(BinaryOp.MAXIMUM, x, Ops.number((long) k[0]), true),
                Ops.number((long) k[1]),
                true);
    }

    /** Maximum's and minimum's rule for one input: nothing where it lost, half where the two tie. */
    private static Tensor extremumGrad(Tensor g, Tensor lost, Values s) {
        Tensor shared = Tensor.where(s.self().eq(s.other()), g.div(2.0), g);
        return Tensor.where(lost, Gradients.zero(g), shared);
    }
}
