package org.plugtorch.opencl;

import org.plugtorch.DType;
import org.plugtorch.spi.BinaryOp;
import org.plugtorch.spi.ReduceOp;
import org.plugtorch.spi.UnaryOp;

/**
 * The numbers the host writes into a plan and {@link DeviceProgram} reads back: what to run, on which dtype, and
 * where each field of a plan sits. They are compile-time constants, so they reach the generated OpenCL as literals.
 * Ops are mapped by name, not by enum ordinal, so that reordering an SPI enum cannot silently change a kernel.
 */
final class ProgramCodes {
    private ProgramCodes() {}

    // ---- what a launch does (plan[KIND]) ----
    static final int STAGE_IN = 1;
    static final int STAGE_OUT = 2;
    static final int COPY = 3;
    static final int FILL = 4;
    static final int UNARY = 5;
    static final int BINARY = 6;
    static final int WHERE = 7;
    static final int REDUCE = 8;
    static final int MATMUL = 9;
    /** float32 matmul, eight output columns per work-item, float accumulators. */
    static final int MATMUL_STRIP = 10;
    /**
     * float32 copy, unary or binary op over unit-stride operands, computed in float; its operands' first elements
     * travel as kernel arguments, not in the plan (see {@link DeviceProgram#run}).
     */
    static final int CONTIGUOUS_F32 = 11;

    // ---- dtypes (the arena an operand lives in) ----
    static final int F32 = 0;
    static final int F64 = 1;
    static final int I64 = 2;
    static final int I32 = 3;
    static final int BOOL = 4;

    // ---- unary ops ----
    static final int NEG = 0;
    static final int ABS = 1;
    static final int SIGN = 2;
    static final int RELU = 3;
    static final int EXP = 4;
    static final int LOG = 5;
    static final int SQRT = 6;
    static final int RSQRT = 7;
    static final int RECIPROCAL = 8;
    static final int SIN = 9;
    static final int COS = 10;
    static final int TANH = 11;
    static final int SIGMOID = 12;
    static final int LOGICAL_NOT = 13;
    static final int ERF = 14;
    static final int GELU = 15;
    static final int GELU_TANH = 16;
    static final int SILU = 17;

    // ---- binary ops ----
    static final int ADD = 0;
    static final int SUB = 1;
    static final int MUL = 2;
    static final int DIV = 3;
    static final int POW = 4;
    static final int MAXIMUM = 5;
    static final int MINIMUM = 6;
    static final int EQ = 7;
    static final int NE = 8;
    static final int LT = 9;
    static final int LE = 10;
    static final int GT = 11;
    static final int GE = 12;
    static final int LOGICAL_AND = 13;
    static final int LOGICAL_OR = 14;
    static final int LEAKY_RELU = 15;

    // ---- the float32 unit-stride fast path's own op codes (unary and binary share one numbering) ----
    static final int FAST_COPY = 0;
    static final int FAST_NEG = 1;
    static final int FAST_ABS = 2;
    static final int FAST_RELU = 3;
    static final int FAST_ADD = 4;
    static final int FAST_SUB = 5;
    static final int FAST_MUL = 6;
    static final int FAST_MAXIMUM = 7;
    static final int FAST_MINIMUM = 8;

    // ---- reductions ----
    static final int SUM = 0;
    static final int PROD = 1;
    static final int MAX = 2;
    static final int MIN = 3;
    static final int ARGMAX = 4;
    static final int ARGMIN = 5;

    // ---- plan layout: the header every plan starts with ----
    static final int KIND = 0;
    static final int OP = 1;
    /** Work-items that do work; the launch is rounded up to whole work-groups. */
    static final int WORK = 2;

    static final int RANK = 3;
    /** Element-wise plans: shape[RANK], then per operand (4 slots, destination first) dtype, offset, strides[RANK]. */
    static final int SHAPE = 4;

    static final int OPERANDS = 4;

    /** Fast-path plans: the first arena elements of the destination and operands (the program gets them as arguments). */
    static final int FAST_DST = 3;

    static final int FAST_A = 4;
    static final int FAST_B = 5;

    /** Stage plans: the arena's dtype and the first arena element. */
    static final int STAGE_DTYPE = 3;

    static final int STAGE_OFFSET = 4;

    /**
     * Reduction plans: kept rank at RANK, reduced rank at INNER_RANK, the reduced element count at COUNT, then the kept
     * shape, the reduced shape, the destination (dtype, offset, kept strides) and the source (dtype, offset, kept
     * strides, reduced strides).
     */
    static final int INNER_RANK = 4;

    static final int COUNT = 5;
    static final int REDUCE_SHAPE = 6;

    /**
     * Matmul plans: batch, M, K, N, then destination, first and second operand, each as dtype, offset and three
     * strides.
     */
    static final int MM_B = 3;

    static final int MM_M = 4;
    static final int MM_K = 5;
    static final int MM_N = 6;
    static final int MM_DST = 7;
    static final int MM_A = 12;
    static final int MM_BOP = 17;
    static final int MM_PLAN_LENGTH = 22;
    /** Output columns per work-item of {@link #MATMUL_STRIP}. */
    static final int STRIP = 8;

    static int dtype(DType d) {
        switch (d) {
            case FLOAT32:
                return F32;
            case FLOAT64:
                return F64;
            case INT64:
                return I64;
            case INT32:
                return I32;
            case BOOL:
                return BOOL;
            default:
                throw new AssertionError(d);
        }
    }

    static int unary(UnaryOp op) {
        switch (op) {
            case NEG:
                return NEG;
            case ABS:
                return ABS;
            case SIGN:
                return SIGN;
            case RELU:
                return RELU;
            case EXP:
                return EXP;
            case LOG:
                return LOG;
            case SQRT:
                return SQRT;
            case RSQRT:
                return RSQRT;
            case RECIPROCAL:
                return RECIPROCAL;
            case SIN:
                return SIN;
            case COS:
                return COS;
            case TANH:
                return TANH;
            case SIGMOID:
                return SIGMOID;
            case LOGICAL_NOT:
                return LOGICAL_NOT;
            case ERF:
                return ERF;
            case GELU:
                return GELU;
            case GELU_TANH:
                return GELU_TANH;
            case SILU:
                return SILU;
            default:
                throw new IllegalArgumentException("the opencl backend has no kernel for unary op " + op);
        }
    }

    static int binary(BinaryOp op) {
        switch (op) {
            case ADD:
                return ADD;
            case SUB:
                return SUB;
            case MUL:
                return MUL;
            case DIV:
                return DIV;
            case POW:
                return POW;
            case MAXIMUM:
                return MAXIMUM;
            case MINIMUM:
                return MINIMUM;
            case EQ:
                return EQ;
            case NE:
                return NE;
            case LT:
                return LT;
            case LE:
                return LE;
            case GT:
                return GT;
            case GE:
                return GE;
            case LOGICAL_AND:
                return LOGICAL_AND;
            case LOGICAL_OR:
                return LOGICAL_OR;
            case LEAKY_RELU:
                return LEAKY_RELU;
            default:
                throw new IllegalArgumentException("the opencl backend has no kernel for binary op " + op);
        }
    }

    static int reduce(ReduceOp op) {
        switch (op) {
            case SUM:
                return SUM;
            case PROD:
                return PROD;
            case MAX:
                return MAX;
            case MIN:
                return MIN;
            case ARGMAX:
                return ARGMAX;
            case ARGMIN:
                return ARGMIN;
            default:
                throw new IllegalArgumentException("the opencl backend has no kernel for reduction " + op);
        }
    }
}
