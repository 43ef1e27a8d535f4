package org.plugtorch.tck;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.DynamicNode;
import org.plugtorch.DType;
import org.plugtorch.spi.ReduceOp;

/**
 * The reduction cases: every {@link ReduceOp} on every dtype, reducing all, the last, or several trailing
 * dimensions of contiguous, permuted, strided and broadcast sources, nothing at all, and zero elements (SUM and
 * PROD give 0 and 1; the runtime never asks the others). Float sums and products are checked within their
 * rounding bound, MAX and MIN by value, everything else exactly; NaN propagation and first-index ties come from
 * data with many ties and specials.
 */
final class ReductionCases {
    private enum Scenario {
        ALL,
        LAST,
        TRAILING_PERMUTED,
        STRIDED_SOURCE,
        BROADCAST_SOURCE,
        NOTHING_REDUCED,
        ZERO_REDUCED,
        EMPTY_OUTPUT,
        LONG_ROWS,
        COLUMNS,
        SPECIALS,
        RANK0;

        String label() {
            return name().toLowerCase().replace('_', '-');
        }
    }

    private ReductionCases() {}

    static List<DynamicNode> reduce(TckRunner run) {
        List<DynamicNode> out = new ArrayList<>();
        for (ReduceOp op : ReduceOp.values()) {
            boolean arg = op == ReduceOp.ARGMAX || op == ReduceOp.ARGMIN;
            List<DynamicNode> tests = new ArrayList<>();
            for (DType dtype : run.dtypes()) {
                DType result = arg ? DType.INT64 : dtype;
                if (!run.supports(result)) {
                    continue;
                }
                for (Scenario s : Scenario.values()) {
                    if (s == Scenario.ZERO_REDUCED && op != ReduceOp.SUM && op != ReduceOp.PROD) {
                        continue;
                    }
                    String name = "reduce " + op + " " + dtype.torchName() + " " + s.label();
                    tests.add(run.test(dtype.torchName() + " " + s.label(), () -> build(name, op, dtype, result, s)));
                }
            }
            out.add(TckRunner.container("reduce " + op, tests));
        }
        return out;
    }

    private static TckCase build(String name, ReduceOp op, DType dtype, DType result, Scenario s) {
        TckCase c = new TckCase(name);
        Random r = c.random();
        long[] src;
        int kept;
        switch (s) {
            case ALL:
                src = ElementwiseScenario.randomShape(r, 1, 4);
                kept = 0;
                break;
            case LAST:
                src = new long[] {1 + r.nextInt(8), 1 + r.nextInt(40)};
                kept = 1;
                break;
            case TRAILING_PERMUTED:
                src = ElementwiseScenario.randomShape(r, 3, 4);
                kept = 1 + r.nextInt(2);
                break;
            case STRIDED_SOURCE:
                src = ElementwiseScenario.randomShape(r, 2, 3);
                kept = 1;
                break;
            case BROADCAST_SOURCE:
                src = ElementwiseScenario.randomShape(r, 2, 3);
                kept = 1;
                break;
            case NOTHING_REDUCED:
                src = ElementwiseScenario.randomShape(r, 1, 3);
                kept = src.length;
                break;
            case ZERO_REDUCED:
                src = new long[] {1 + r.nextInt(4), 0, 1 + r.nextInt(3)};
                kept = 1;
                break;
            case EMPTY_OUTPUT:
                src = new long[] {0, 1 + r.nextInt(5)};
                kept = 1;
                break;
            case LONG_ROWS:
                src = new long[] {3, 2500 + r.nextInt(800)};
                kept = 1;
                break;
            case COLUMNS:
                src = new long[] {30 + r.nextInt(20), 200 + r.nextInt(100)};
                kept = 1;
                break;
            case SPECIALS:
                src = new long[] {6, 40 + r.nextInt(20)};
                kept = 1;
                break;
            default:
                src = new long[0];
                kept = 0;
        }
        long[] dstShape = Arrays.copyOf(src, kept);
        TckLayout dstLayout = s == Scenario.TRAILING_PERMUTED || s == Scenario.NOTHING_REDUCED
                ? TckLayout.strided(dstShape, r)
                : s == Scenario.STRIDED_SOURCE ? TckLayout.offset(dstShape, r) : TckLayout.contiguous(dstShape);
        TckLayout srcLayout;
        switch (s) {
            case TRAILING_PERMUTED:
            case NOTHING_REDUCED:
                srcLayout = TckLayout.permuted(src, r);
                break;
            case STRIDED_SOURCE:
                srcLayout = TckLayout.strided(src, r);
                break;
            case BROADCAST_SOURCE:
                srcLayout = TckLayout.broadcast(src, r);
                break;
            case COLUMNS:
                srcLayout = TckLayout.transposedLastTwo(src);
                break; // the column sums of a row-major matrix
            default:
                srcLayout = TckLayout.contiguous(src);
        }
        long terms = TckLayout.numel(Arrays.copyOfRange(src, kept, src.length));
        c.operand("destination", result, dstLayout, TckValues.GENERAL);
        c.operand("source", dtype, srcLayout, values(op, dtype, s));
        if (dtype.isFloatingPoint() && (op == ReduceOp.SUM || op == ReduceOp.PROD)) {
            c.tolerance(Tolerance.accumulated(terms));
        } else if (op == ReduceOp.MAX || op == ReduceOp.MIN) {
            c.tolerance(Tolerance.sameValue());
        }
        return c.call((b, o) -> b.reduce(op, o[0], o[1]));
    }

    private static TckValues values(ReduceOp op, DType dtype, Scenario s) {
        boolean floating = dtype.isFloatingPoint();
        switch (op) {
            case SUM:
                return !floating
                        ? TckValues.GENERAL
                        : s == Scenario.SPECIALS ? TckValues.MODERATE_WITH_SPECIALS : TckValues.MODERATE;
            case PROD:
                return !floating
                        ? TckValues.GENERAL
                        : s == Scenario.SPECIALS ? TckValues.MODERATE_WITH_SPECIALS : TckValues.NEAR_ONE;
            default:
                return s == Scenario.SPECIALS || s.ordinal() % 2 == 0 ? TckValues.TIES : TckValues.GENERAL;
        }
    }
}
