package org.plugtorch.tck;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.DynamicNode;
import org.plugtorch.DType;
import org.plugtorch.spi.BinaryOp;
import org.plugtorch.spi.UnaryOp;

/**
 * The element-wise cases: copy (every dtype pair), fill, every unary op, every binary op and where, each in every
 * {@link ElementwiseScenario} that its dtypes allow, with data chosen per op ({@link TckValues}) and the tolerance
 * the op deserves ({@link Tolerance}).
 */
final class ElementwiseCases {
    private static final Set<ElementwiseScenario> ONE_INPUT = EnumSet.complementOf(EnumSet.of(
            ElementwiseScenario.SCALAR_FIRST, ElementwiseScenario.IN_PLACE_LAST, ElementwiseScenario.SAME_INPUT));
    private static final Set<ElementwiseScenario> THREE_INPUTS =
            EnumSet.complementOf(EnumSet.of(ElementwiseScenario.SAME_INPUT));
    private static final Set<ElementwiseScenario> NO_INPUT = EnumSet.of(
            ElementwiseScenario.CONTIGUOUS,
            ElementwiseScenario.STRIDED,
            ElementwiseScenario.RANK0,
            ElementwiseScenario.PERMUTED_OUT,
            ElementwiseScenario.EMPTY,
            ElementwiseScenario.LARGE,
            ElementwiseScenario.ONES);

    private ElementwiseCases() {}

    /**
     * A case named {@code name} over {@code scenario}: a destination of {@code out} and inputs of {@code in}, filled
     * from {@code values}. The in-place input (if the scenario has one) gives the destination buffer its data.
     */
    static TckCase build(String name, ElementwiseScenario scenario, DType out, DType[] in, TckValues[] values) {
        TckCase c = new TckCase(name);
        Random r = c.random();
        long[] shape = scenario.shape(r);
        int inPlace = scenario.inPlaceInput(in.length);
        c.operand("destination", out, scenario.output(shape, r), inPlace >= 0 ? values[inPlace] : TckValues.GENERAL);
        for (int i = 0; i < in.length; i++) {
            String role = "input " + i;
            if (i == inPlace) {
                c.alias(role + " (the destination, in place)", 0);
            } else if (i == 1 && scenario.repeatsInput()) {
                c.alias(role + " (input 0 again)", 1);
            } else {
                c.operand(role, in[i], scenario.input(i, in.length, shape, r), values[i]);
            }
        }
        return c;
    }

    /** Whether {@code scenario} can lay out these dtypes (an in-place input must have the destination's dtype). */
    static boolean fits(ElementwiseScenario scenario, DType out, DType[] in) {
        int inPlace = scenario.inPlaceInput(in.length);
        if (inPlace >= 0 && in[inPlace] != out) {
            return false;
        }
        return !scenario.repeatsInput() || in[0] == in[1];
    }

    private static String caseName(String op, String types, String label) {
        return op + " " + types + " " + label;
    }

    // ---- copy and fill ----

    static List<DynamicNode> copy(TckRunner run) {
        List<DynamicNode> out = new ArrayList<>();
        for (DType from : run.dtypes()) {
            for (DType to : run.dtypes()) {
                List<DynamicNode> tests = new ArrayList<>();
                TckValues values = from.isFloatingPoint() && to == DType.INT32
                        ? TckValues.CASTABLE_TO_INT32
                        : from.isFloatingPoint() && to == DType.INT64 ? TckValues.CASTABLE_TO_INT64 : TckValues.GENERAL;
                DType[] in = {from};
                String types = from.torchName() + "->" + to.torchName();
                for (ElementwiseScenario s : ONE_INPUT) {
                    for (String label : fits(s, to, in) ? s.labels() : List.<String>of()) {
                        tests.add(run.test(
                                label,
                                () -> build(caseName("copy", types, label), s, to, in, new TckValues[] {values})
                                        .call((b, o) -> b.copy(o[0], o[1]))));
                    }
                }
                out.add(TckRunner.container("copy " + types, tests));
            }
        }
        return out;
    }

    /** Fill values of every Number kind the runtime passes, converted as C converts them. */
    private static final Number[] FILL_VALUES = {
        0L,
        7,
        -3L,
        (1L << 60) + (1L << 36) + 1,
        Long.MIN_VALUE,
        Long.MAX_VALUE,
        2.5,
        -2.5,
        -0.0,
        0.1,
        1.1f,
        -7.99,
        Double.NaN,
        Double.POSITIVE_INFINITY,
        1e300,
        (short) 5,
        new java.math.BigDecimal("-2.75")
    };

    static List<DynamicNode> fill(TckRunner run) {
        List<DynamicNode> out = new ArrayList<>();
        ElementwiseScenario[] layouts = NO_INPUT.toArray(new ElementwiseScenario[0]);
        for (DType dtype : run.dtypes()) {
            List<DynamicNode> tests = new ArrayList<>();
            for (int v = 0; v < FILL_VALUES.length; v++) {
                Number value = FILL_VALUES[v];
                boolean floating = !(value instanceof Long || value instanceof Integer || value instanceof Short);
                if (dtype.isInteger() && floating && !(Math.abs(value.doubleValue()) < 1e9)) {
                    continue; // NaN, inf and out-of-range values have no integer conversion in C
                }
                ElementwiseScenario s = layouts[v % layouts.length];
                String label = value.getClass().getSimpleName() + " " + value + " " + s.label();
                tests.add(run.test(
                        label,
                        () -> build("fill " + dtype.torchName() + " " + label, s, dtype, new DType[0], new TckValues[0])
                                .call((b, o) -> b.fill(o[0], value))));
            }
            out.add(TckRunner.container("fill " + dtype.torchName(), tests));
        }
        return out;
    }

    // ---- unary ----

    static List<DynamicNode> unary(TckRunner run) {
        List<DynamicNode> out = new ArrayList<>();
        for (UnaryOp op : UnaryOp.values()) {
            List<DynamicNode> tests = new ArrayList<>();
            for (DType dtype : run.dtypes()) {
                if (!unaryApplies(op, dtype)) {
                    continue;
                }
                DType result = op.producesBool() ? DType.BOOL : dtype;
                if (!run.supports(result)) {
                    continue;
                }
                DType[] in = {dtype};
                TckValues[] values = {unaryValues(op)};
                Tolerance tol = tolerance(op.maxUlps());
                for (ElementwiseScenario s : ONE_INPUT) {
                    for (String label : fits(s, result, in) ? s.labels() : List.<String>of()) {
                        String name = caseName(op.name(), dtype.torchName(), label);
                        tests.add(run.test(
                                dtype.torchName() + " " + label,
                                () -> build(name, s, result, in, values)
                                        .tolerance(tol)
                                        .call((b, o) -> b.unary(op, o[0], o[1]))));
                    }
                }
            }
            out.add(TckRunner.container("unary " + op, tests));
        }
        return out;
    }

    /** The dtypes the op declares it takes. */
    static boolean unaryApplies(UnaryOp op, DType dtype) {
        return op.domain().admits(dtype);
    }

    private static TckValues unaryValues(UnaryOp op) {
        switch (op) {
            case EXP:
            case SIGMOID:
                return TckValues.EXP_RANGE;
            case LOG:
            case SQRT:
            case RSQRT:
                return TckValues.POSITIVE;
            case SIN:
            case COS:
            case TANH:
                return TckValues.TRIG_RANGE;
            default:
                return TckValues.GENERAL;
        }
    }

    /** The accuracy the op declares (OpenCL 1.2's single-precision limits, the loosest of the targeted devices). */
    private static Tolerance tolerance(int maxUlps) {
        return maxUlps == 0 ? Tolerance.exact() : Tolerance.ulps(maxUlps);
    }

    // ---- binary and where ----

    static List<DynamicNode> binary(TckRunner run) {
        List<DynamicNode> out = new ArrayList<>();
        for (BinaryOp op : BinaryOp.values()) {
            List<DynamicNode> tests = new ArrayList<>();
            for (DType dtype : run.dtypes()) {
                if (!binaryApplies(op, dtype)) {
                    continue;
                }
                DType result = op.producesBool() ? DType.BOOL : dtype;
                if (!run.supports(result)) {
                    continue;
                }
                DType[] in = {dtype, dtype};
                TckValues[] values = binaryValues(op);
                Tolerance tol = tolerance(op.maxUlps());
                for (ElementwiseScenario s : ElementwiseScenario.values()) {
                    for (String label : fits(s, result, in) ? s.labels() : List.<String>of()) {
                        String name = caseName(op.name(), dtype.torchName(), label);
                        tests.add(run.test(
                                dtype.torchName() + " " + label,
                                () -> build(name, s, result, in, values)
                                        .tolerance(tol)
                                        .call((b, o) -> b.binary(op, o[0], o[1], o[2]))));
                    }
                }
            }
            out.add(TckRunner.container("binary " + op, tests));
        }
        return out;
    }

    /** The dtypes the op declares it takes. */
    static boolean binaryApplies(BinaryOp op, DType dtype) {
        return op.domain().admits(dtype);
    }

    private static TckValues[] binaryValues(BinaryOp op) {
        switch (op) {
            case POW:
                return new TckValues[] {TckValues.POW_BASE, TckValues.POW_EXPONENT};
            case ADD:
            case SUB:
            case MUL:
            case DIV:
                return new TckValues[] {TckValues.GENERAL, TckValues.GENERAL};
            default:
                return new TckValues[] {TckValues.TIES, TckValues.TIES};
        }
    }

    static List<DynamicNode> where(TckRunner run) {
        List<DynamicNode> out = new ArrayList<>();
        if (!run.supports(DType.BOOL)) {
            return out;
        }
        for (DType dtype : run.dtypes()) {
            List<DynamicNode> tests = new ArrayList<>();
            DType[] in = {DType.BOOL, dtype, dtype};
            TckValues[] values = {TckValues.GENERAL, TckValues.TIES, TckValues.GENERAL};
            for (ElementwiseScenario s : THREE_INPUTS) {
                for (String label : fits(s, dtype, in) ? s.labels() : List.<String>of()) {
                    String name = caseName("where", dtype.torchName(), label);
                    tests.add(run.test(
                            label,
                            () -> build(name, s, dtype, in, values).call((b, o) -> b.where(o[0], o[1], o[2], o[3]))));
                }
            }
            out.add(TckRunner.container("where " + dtype.torchName(), tests));
        }
        return out;
    }
}
