package org.plugtorch.opencl;

import java.util.Arrays;
import java.util.EnumMap;
import java.util.Map;
import org.plugtorch.DType;
import org.plugtorch.spi.BinaryOp;
import org.plugtorch.spi.Operand;
import org.plugtorch.spi.OperandRules;
import org.plugtorch.spi.ReduceOp;
import org.plugtorch.spi.UnaryOp;

/**
 * The SPI's kernels on one device: check the call, write its plan, launch. Each launch is named (op, dtypes, shape)
 * so that an error says what did not run where. Stateless: the device holds everything.
 */
final class ClKernels {
    /**
     * The float32 ops whose float result equals the double-then-round result of the general path (they are exact, or
     * correctly rounded), with their fast-path codes: only these take the unit-stride fast path.
     */
    private static final Map<UnaryOp, Integer> FAST_UNARY = new EnumMap<>(Map.of(
            UnaryOp.NEG,
            ProgramCodes.FAST_NEG,
            UnaryOp.ABS,
            ProgramCodes.FAST_ABS,
            UnaryOp.RELU,
            ProgramCodes.FAST_RELU));

    private static final Map<BinaryOp, Integer> FAST_BINARY = new EnumMap<>(Map.of(
            BinaryOp.ADD,
            ProgramCodes.FAST_ADD,
            BinaryOp.SUB,
            ProgramCodes.FAST_SUB,
            BinaryOp.MUL,
            ProgramCodes.FAST_MUL,
            BinaryOp.MAXIMUM,
            ProgramCodes.FAST_MAXIMUM,
            BinaryOp.MINIMUM,
            ProgramCodes.FAST_MINIMUM));

    void copy(ClDevice d, Operand dst, Operand src) {
        OperandRules.sameShape("copy", dst, src);
        ClBuffer[] b = {ClOperands.buffer(dst, d, "destination"), ClOperands.buffer(src, d, "source")};
        String what = "copy " + src.dtype().torchName() + " -> " + dst.dtype().torchName() + shape(dst);
        if (dst.dtype() == DType.FLOAT32 && src.dtype() == DType.FLOAT32 && Plans.unitStride(dst, src)) {
            d.run(Plans.contiguousF32(ProgramCodes.FAST_COPY, dst, b[0], src, b[1], null, null), what);
        } else {
            d.run(Plans.elementwise(ProgramCodes.COPY, 0, new Operand[] {dst, src}, b), what);
        }
    }

    /** The value converted on the host, exactly as the SPI says: integers as integers, other Numbers as doubles. */
    void fill(ClDevice d, Operand dst, Number value) {
        ClBuffer[] b = {ClOperands.buffer(dst, d, "destination")};
        boolean integral =
                value instanceof Long || value instanceof Integer || value instanceof Short || value instanceof Byte;
        double floating = 0;
        long integer = 0;
        switch (dst.dtype()) {
            case FLOAT32:
                floating = integral ? (float) value.longValue() : (float) value.doubleValue();
                break;
            case FLOAT64:
                floating = integral ? (double) value.longValue() : value.doubleValue();
                break;
            case INT64:
                integer = integral ? value.longValue() : (long) value.doubleValue();
                break;
            case INT32:
                integer = (int) (integral ? value.longValue() : (long) value.doubleValue());
                break;
            default:
                integer = value.doubleValue() != 0 ? 1 : 0;
        }
        d.fill(
                Plans.elementwise(ProgramCodes.FILL, 0, new Operand[] {dst}, b),
                floating,
                integer,
                "fill " + dst.dtype().torchName() + shape(dst) + " with " + value);
    }

    void unary(ClDevice d, UnaryOp op, Operand dst, Operand src) {
        OperandRules.unary(op, dst, src);
        ClBuffer[] b = {ClOperands.buffer(dst, d, "destination"), ClOperands.buffer(src, d, "source")};
        String what = op + " " + src.dtype().torchName() + shape(dst);
        if (src.dtype() == DType.FLOAT32 && FAST_UNARY.containsKey(op) && Plans.unitStride(dst, src)) {
            d.run(Plans.contiguousF32(FAST_UNARY.get(op), dst, b[0], src, b[1], null, null), what);
        } else {
            d.run(Plans.elementwise(ProgramCodes.UNARY, ProgramCodes.unary(op), new Operand[] {dst, src}, b), what);
        }
    }

    void binary(ClDevice d, BinaryOp op, Operand dst, Operand a, Operand x) {
        OperandRules.binary(op, dst, a, x);
        ClBuffer[] b = {
            ClOperands.buffer(dst, d, "destination"),
            ClOperands.buffer(a, d, "first operand"),
            ClOperands.buffer(x, d, "second operand")
        };
        String what = op + " " + a.dtype().torchName() + shape(dst);
        Operand[] operands = {dst, a, x};
        if (a.dtype() == DType.FLOAT32 && FAST_BINARY.containsKey(op) && Plans.unitStride(operands)) {
            d.run(Plans.contiguousF32(FAST_BINARY.get(op), dst, b[0], a, b[1], x, b[2]), what);
        } else {
            d.run(Plans.elementwise(ProgramCodes.BINARY, ProgramCodes.binary(op), operands, b), what);
        }
    }

    void where(ClDevice d, Operand dst, Operand condition, Operand a, Operand x) {
        OperandRules.where(dst, condition, a, x);
        ClBuffer[] b = {
            ClOperands.buffer(dst, d, "destination"),
            ClOperands.buffer(condition, d, "condition"),
            ClOperands.buffer(a, d, "first operand"),
            ClOperands.buffer(x, d, "second operand")
        };
        d.run(
                Plans.elementwise(ProgramCodes.WHERE, 0, new Operand[] {dst, condition, a, x}, b),
                "where " + dst.dtype().torchName() + shape(dst));
    }

    void reduce(ClDevice d, ReduceOp op, Operand dst, Operand src) {
        OperandRules.reduce(op, dst, src);
        ClBuffer out = ClOperands.buffer(dst, d, "destination");
        ClBuffer in = ClOperands.buffer(src, d, "source");
        d.run(
                Plans.reduce(ProgramCodes.reduce(op), dst, out, src, in),
                op + " " + src.dtype().torchName() + shape(src) + " to" + shape(dst));
    }

    void matmul(ClDevice d, Operand dst, Operand a, Operand x) {
        OperandRules.matmul(dst, a, x);
        ClBuffer out = ClOperands.buffer(dst, d, "destination");
        ClBuffer left = ClOperands.buffer(a, d, "first operand");
        ClBuffer right = ClOperands.buffer(x, d, "second operand");
        d.run(
                Plans.matmul(dst, out, a, left, x, right),
                "matmul " + dst.dtype().torchName() + shape(a) + " @" + shape(x));
    }

    private static String shape(Operand o) {
        return " " + Arrays.toString(o.shape());
    }
}
