package org.plugtorch.cuda;

import org.plugtorch.spi.BinaryOp;
import org.plugtorch.spi.ReduceOp;
import org.plugtorch.spi.UnaryOp;

/**
 * The op codes the kernels switch on, as {@code plugtorch.cuh} numbers them ({@code PT_UNARY_EXP = 4}). Written out
 * rather than taken from enum ordinals, so that a new op in the SPI cannot silently shift them; a test checks this
 * table against the header.
 */
final class KernelOps {
    private KernelOps() {}

    static int code(UnaryOp op) {
        switch (op) {
            case NEG:
                return 0;
            case ABS:
                return 1;
            case SIGN:
                return 2;
            case RELU:
                return 3;
            case EXP:
                return 4;
            case LOG:
                return 5;
            case SQRT:
                return 6;
            case RSQRT:
                return 7;
            case RECIPROCAL:
                return 8;
            case SIN:
                return 9;
            case COS:
                return 10;
            case TANH:
                return 11;
            case SIGMOID:
                return 12;
            case ERF:
                return 13;
            case GELU:
                return 14;
            case GELU_TANH:
                return 15;
            case SILU:
                return 16;
            default:
                throw new IllegalArgumentException(op + " has its own kernel");
        }
    }

    static int code(BinaryOp op) {
        switch (op) {
            case ADD:
                return 0;
            case SUB:
                return 1;
            case MUL:
                return 2;
            case DIV:
                return 3;
            case POW:
                return 4;
            case MAXIMUM:
                return 5;
            case MINIMUM:
                return 6;
            case EQ:
                return 7;
            case NE:
                return 8;
            case LT:
                return 9;
            case LE:
                return 10;
            case GT:
                return 11;
            case GE:
                return 12;
            case LOGICAL_AND:
                return 13;
            case LOGICAL_OR:
                return 14;
            case LEAKY_RELU:
                return 15;
            default:
                throw new IllegalArgumentException(op.toString());
        }
    }

    static int code(ReduceOp op) {
        switch (op) {
            case SUM:
                return 0;
            case PROD:
                return 1;
            case MAX:
                return 2;
            case MIN:
                return 3;
            case ARGMAX:
                return 4;
            case ARGMIN:
                return 5;
            default:
                throw new IllegalArgumentException(op.toString());
        }
    }
}
