package org.plugtorch.opencl;

import static org.plugtorch.opencl.ProgramCodes.ABS;
import static org.plugtorch.opencl.ProgramCodes.ADD;
import static org.plugtorch.opencl.ProgramCodes.ARGMAX;
import static org.plugtorch.opencl.ProgramCodes.BINARY;
import static org.plugtorch.opencl.ProgramCodes.BOOL;
import static org.plugtorch.opencl.ProgramCodes.CONTIGUOUS_F32;
import static org.plugtorch.opencl.ProgramCodes.COPY;
import static org.plugtorch.opencl.ProgramCodes.COS;
import static org.plugtorch.opencl.ProgramCodes.COUNT;
import static org.plugtorch.opencl.ProgramCodes.DIV;
import static org.plugtorch.opencl.ProgramCodes.EQ;
import static org.plugtorch.opencl.ProgramCodes.EXP;
import static org.plugtorch.opencl.ProgramCodes.F32;
import static org.plugtorch.opencl.ProgramCodes.F64;
import static org.plugtorch.opencl.ProgramCodes.FAST_ABS;
import static org.plugtorch.opencl.ProgramCodes.FAST_ADD;
import static org.plugtorch.opencl.ProgramCodes.FAST_MAXIMUM;
import static org.plugtorch.opencl.ProgramCodes.FAST_MUL;
import static org.plugtorch.opencl.ProgramCodes.FAST_NEG;
import static org.plugtorch.opencl.ProgramCodes.FAST_RELU;
import static org.plugtorch.opencl.ProgramCodes.FAST_SUB;
import static org.plugtorch.opencl.ProgramCodes.FILL;
import static org.plugtorch.opencl.ProgramCodes.GE;
import static org.plugtorch.opencl.ProgramCodes.GT;
import static org.plugtorch.opencl.ProgramCodes.I32;
import static org.plugtorch.opencl.ProgramCodes.I64;
import static org.plugtorch.opencl.ProgramCodes.INNER_RANK;
import static org.plugtorch.opencl.ProgramCodes.LE;
import static org.plugtorch.opencl.ProgramCodes.LOG;
import static org.plugtorch.opencl.ProgramCodes.LOGICAL_AND;
import static org.plugtorch.opencl.ProgramCodes.LOGICAL_NOT;
import static org.plugtorch.opencl.ProgramCodes.LT;
import static org.plugtorch.opencl.ProgramCodes.MATMUL;
import static org.plugtorch.opencl.ProgramCodes.MATMUL_STRIP;
import static org.plugtorch.opencl.ProgramCodes.MAX;
import static org.plugtorch.opencl.ProgramCodes.MAXIMUM;
import static org.plugtorch.opencl.ProgramCodes.MINIMUM;
import static org.plugtorch.opencl.ProgramCodes.MM_A;
import static org.plugtorch.opencl.ProgramCodes.MM_BOP;
import static org.plugtorch.opencl.ProgramCodes.MM_DST;
import static org.plugtorch.opencl.ProgramCodes.MM_K;
import static org.plugtorch.opencl.ProgramCodes.MM_M;
import static org.plugtorch.opencl.ProgramCodes.MM_N;
import static org.plugtorch.opencl.ProgramCodes.MUL;
import static org.plugtorch.opencl.ProgramCodes.NE;
import static org.plugtorch.opencl.ProgramCodes.NEG;
import static org.plugtorch.opencl.ProgramCodes.POW;
import static org.plugtorch.opencl.ProgramCodes.PROD;
import static org.plugtorch.opencl.ProgramCodes.RANK;
import static org.plugtorch.opencl.ProgramCodes.RECIPROCAL;
import static org.plugtorch.opencl.ProgramCodes.REDUCE;
import static org.plugtorch.opencl.ProgramCodes.REDUCE_SHAPE;
import static org.plugtorch.opencl.ProgramCodes.RELU;
import static org.plugtorch.opencl.ProgramCodes.RSQRT;
import static org.plugtorch.opencl.ProgramCodes.SHAPE;
import static org.plugtorch.opencl.ProgramCodes.SIGMOID;
import static org.plugtorch.opencl.ProgramCodes.SIGN;
import static org.plugtorch.opencl.ProgramCodes.SIN;
import static org.plugtorch.opencl.ProgramCodes.SQRT;
import static org.plugtorch.opencl.ProgramCodes.STAGE_DTYPE;
import static org.plugtorch.opencl.ProgramCodes.STAGE_IN;
import static org.plugtorch.opencl.ProgramCodes.STAGE_OFFSET;
import static org.plugtorch.opencl.ProgramCodes.STAGE_OUT;
import static org.plugtorch.opencl.ProgramCodes.STRIP;
import static org.plugtorch.opencl.ProgramCodes.SUB;
import static org.plugtorch.opencl.ProgramCodes.SUM;
import static org.plugtorch.opencl.ProgramCodes.TANH;
import static org.plugtorch.opencl.ProgramCodes.UNARY;
import static org.plugtorch.opencl.ProgramCodes.WHERE;

import com.aparapi.Kernel;
import com.aparapi.device.Device;
import com.aparapi.device.OpenCLDevice;

/**
 * Every kernel of the backend as one Aparapi kernel, which Aparapi translates to one OpenCL program per device.
 *
 * <p>Why one: Aparapi gives each kernel instance its own OpenCL context, and ties a device buffer to a (kernel
 * instance, field, Java array) triple. Tensors that stay on the device between ops must therefore live in arrays
 * bound to the fields of a single kernel instance for good: the five arenas below, one per dtype, which the host
 * sub-allocates (see {@code docs/opencl.md}). Each launch reads a small {@link #plan} (what to run, shapes, strides,
 * offsets) and dispatches on it; the branches are uniform across a launch.
 *
 * <p>Arithmetic follows the SPI's semantics rather than C's: floating-point ops compute in double and round once
 * (correctly rounded for add, subtract, multiply, divide and square root, since double has more than twice float's
 * precision), integer and bool ops compute in 64-bit two's complement and wrap when stored, and float-to-integer
 * conversions saturate and map NaN to 0 as Java's casts do, where C leaves them undefined. Only the float32 fast
 * paths ({@link ProgramCodes#CONTIGUOUS_F32}, {@link ProgramCodes#MATMUL_STRIP}) compute in float, for the ops whose
 * float result is the same.
 *
 * <p>The code is written in the subset of Java that Aparapi translates: primitive locals, the fields, calls to
 * methods of this class (each name used once: Aparapi does not mangle overloads) and Kernel's math functions.
 */
public final class DeviceProgram extends Kernel {
    /** Stands in for a stage buffer between transfers: Aparapi refuses null arrays. */
    private static final int PLACEHOLDER = 1;

    // the arenas: device memory, one per dtype
    float[] f32 = new float[PLACEHOLDER];
    double[] f64 = new double[PLACEHOLDER];
    long[] i64 = new long[PLACEHOLDER];
    int[] i32 = new int[PLACEHOLDER];
    byte[] b8 = new byte[PLACEHOLDER];

    // staging buffers of exactly one transfer's size
    float[] stageF32 = new float[PLACEHOLDER];
    double[] stageF64 = new double[PLACEHOLDER];
    long[] stageI64 = new long[PLACEHOLDER];
    int[] stageI32 = new int[PLACEHOLDER];
    byte[] stageBool = new byte[PLACEHOLDER];

    /**
     * What to run: shapes, strides and offsets (see {@link ProgramCodes}). Constant memory, so that the OpenCL
     * compiler knows no arena write changes it and may hoist its reads out of the loop over work-items.
     */
    @Constant
    int[] plan = new int[64];
    /**
     * The plan's kind, op and work-item count, passed by value: uniform kernel arguments, which the compiler may
     * test once per work-group rather than once per work-item.
     */
    int launchKind;
    int launchOp;
    int launchWork;
    /** The first arena elements of the fast path's destination and operands. */
    int fastDst;
    int fastA;
    int fastB;
    /** FILL's value for a floating-point destination, already rounded to its dtype. */
    double fillFloating;
    /** FILL's value for an integer or bool destination, already converted. */
    long fillIntegral;

    private final OpenCLDevice device;

    DeviceProgram(OpenCLDevice device) {
        this.device = device;
    }

    /**
     * Only this program's own device: with every other device vetoed, Aparapi has nowhere to fall back to but its
     * Java thread pool, which the host detects after every launch ({@link LaunchGuard}).
     */
    @Override
    public boolean isAllowDevice(Device candidate) {
        return candidate instanceof OpenCLDevice && ((OpenCLDevice) candidate).getDeviceId() == device.getDeviceId();
    }

    OpenCLDevice device() {
        return device;
    }

    @Override
    public void run() {
        int g = getGlobalId();
        if (g < launchWork) {
            int kind = launchKind;
            if (kind == CONTIGUOUS_F32) {
                // written out here rather than called: the OpenCL compiler then turns it into a vector loop
                int op = launchOp;
                float x = f32[fastA + g];
                float r = x;
                if (op == FAST_NEG) {
                    r = -x;
                } else if (op == FAST_ABS) {
                    r = abs(x);
                } else if (op == FAST_RELU) {
                    r = x < 0 ? 0 : x;
                } else if (op >= FAST_ADD) {
                    float y = f32[fastB + g];
                    if (op == FAST_ADD) {
                        r = x + y;
                    } else if (op == FAST_SUB) {
                        r = x - y;
                    } else if (op == FAST_MUL) {
                        r = x * y;
                    } else if (x != x) {
                        r = x;
                    } else if (y != y) {
                        r = y;
                    } else if (op == FAST_MAXIMUM) {
                        r = x < y ? y : x;
                    } else {
                        r = x > y ? y : x;
                    }
                }
                f32[fastDst + g] = r;
            } else if (kind == MATMUL_STRIP) {
                matmulStrip(g);
            } else if (kind == MATMUL) {
                matmulAny(g);
            } else if (kind == REDUCE) {
                reduceAny(g);
            } else if (kind == STAGE_IN) {
                // written out here too: transfers are bandwidth-bound and want the vector loop
                int dtype = plan[STAGE_DTYPE];
                int at = plan[STAGE_OFFSET] + g;
                if (dtype == F32) {
                    f32[at] = stageF32[g];
                } else if (dtype == F64) {
                    f64[at] = stageF64[g];
                } else if (dtype == I64) {
                    i64[at] = stageI64[g];
                } else if (dtype == I32) {
                    i32[at] = stageI32[g];
                } else {
                    b8[at] = stageBool[g];
                }
            } else if (kind == STAGE_OUT) {
                int dtype = plan[STAGE_DTYPE];
                int at = plan[STAGE_OFFSET] + g;
                if (dtype == F32) {
                    stageF32[g] = f32[at];
                } else if (dtype == F64) {
                    stageF64[g] = f64[at];
                } else if (dtype == I64) {
                    stageI64[g] = i64[at];
                } else if (dtype == I32) {
                    stageI32[g] = i32[at];
                } else {
                    stageBool[g] = b8[at];
                }
            } else {
                elementwise(kind, g);
            }
        }
    }

    // ---- element access: floating point as double, everything else as long ----

    double loadD(int dtype, int at) {
        double v = 0;
        if (dtype == F32) {
            v = f32[at];
        } else if (dtype == F64) {
            v = f64[at];
        } else if (dtype == I64) {
            v = (double) i64[at];
        } else if (dtype == I32) {
            v = i32[at];
        } else {
            v = b8[at];
        }
        return v;
    }

    long loadL(int dtype, int at) {
        long v = 0;
        if (dtype == I64) {
            v = i64[at];
        } else if (dtype == I32) {
            v = i32[at];
        } else if (dtype == BOOL) {
            v = b8[at];
        } else {
            v = saturatedLong(loadD(dtype, at));
        }
        return v;
    }

    /** Java's (long) cast: NaN is 0, out-of-range values saturate. C leaves both undefined. */
    long saturatedLong(double v) {
        long r = 0;
        if (v != v) {
            r = 0;
        } else if (v >= 9.223372036854775807E18) {
            r = Long.MAX_VALUE;
        } else if (v <= -9.223372036854775808E18) {
            r = Long.MIN_VALUE;
        } else {
            r = (long) v;
        }
        return r;
    }

    void storeD(int dtype, int at, double v) {
        if (dtype == F32) {
            f32[at] = (float) v;
        } else if (dtype == F64) {
            f64[at] = v;
        } else if (dtype == I64) {
            i64[at] = saturatedLong(v);
        } else if (dtype == I32) {
            i32[at] = (int) saturatedLong(v);
        } else {
            b8[at] = (byte) (v != 0 ? 1 : 0);
        }
    }

    void storeL(int dtype, int at, long v) {
        if (dtype == F32) {
            f32[at] = (float) v;
        } else if (dtype == F64) {
            f64[at] = (double) v;
        } else if (dtype == I64) {
            i64[at] = v;
        } else if (dtype == I32) {
            i32[at] = (int) v;
        } else {
            b8[at] = (byte) (v != 0 ? 1 : 0);
        }
    }

    /** 1 when the element is zero (NaN is not), else 0. */
    long isZero(int dtype, int at) {
        long r = 0;
        if (dtype <= F64) {
            r = loadD(dtype, at) == 0 ? 1 : 0;
        } else {
            r = loadL(dtype, at) == 0 ? 1 : 0;
        }
        return r;
    }

    // ---- element-wise plans ----

    int operandBase(int operand) {
        int rank = plan[RANK];
        return SHAPE + rank + operand * (2 + rank);
    }

    int operandType(int operand) {
        return plan[operandBase(operand)];
    }

    /** The arena index of work-item g's element of an operand: one division per merged dimension. */
    int operandAt(int operand, int g) {
        int rank = plan[RANK];
        int base = operandBase(operand);
        int at = plan[base + 1];
        int rest = g;
        for (int d = rank - 1; d >= 0; d--) {
            int size = plan[SHAPE + d];
            at += (rest % size) * plan[base + 2 + d];
            rest = rest / size;
        }
        return at;
    }

    void elementwise(int kind, int g) {
        int op = launchOp;
        int dstType = operandType(0);
        int dst = operandAt(0, g);
        if (kind == FILL) {
            if (dstType <= F64) {
                storeD(dstType, dst, fillFloating);
            } else {
                storeL(dstType, dst, fillIntegral);
            }
        } else if (kind == COPY) {
            int srcType = operandType(1);
            int src = operandAt(1, g);
            if (dstType == BOOL) {
                storeL(BOOL, dst, 1 - isZero(srcType, src));
            } else if (srcType <= F64) {
                storeD(dstType, dst, loadD(srcType, src));
            } else {
                storeL(dstType, dst, loadL(srcType, src));
            }
        } else if (kind == UNARY) {
            int srcType = operandType(1);
            int src = operandAt(1, g);
            if (op == LOGICAL_NOT) {
                storeL(BOOL, dst, isZero(srcType, src));
            } else if (srcType <= F64) {
                storeD(dstType, dst, unaryD(op, loadD(srcType, src)));
            } else {
                storeL(dstType, dst, unaryL(op, loadL(srcType, src)));
            }
        } else if (kind == BINARY) {
            int type = operandType(1);
            int a = operandAt(1, g);
            int b = operandAt(2, g);
            if (type <= F64) {
                double x = loadD(type, a);
                double y = loadD(type, b);
                if (op >= EQ) {
                    storeL(BOOL, dst, compareD(op, x, y));
                } else {
                    storeD(dstType, dst, binaryD(op, x, y));
                }
            } else {
                long x = loadL(type, a);
                long y = loadL(type, b);
                if (op >= EQ && op <= GE) {
                    storeL(BOOL, dst, compareL(op, x, y));
                } else {
                    storeL(dstType, dst, binaryL(op, x, y));
                }
            }
        } else if (kind == WHERE) {
            int condition = operandAt(1, g);
            int pick = b8[condition] != 0 ? operandAt(2, g) : operandAt(3, g);
            if (dstType <= F64) {
                storeD(dstType, dst, loadD(dstType, pick));
            } else {
                storeL(dstType, dst, loadL(dstType, pick));
            }
        }
    }

    double unaryD(int op, double x) {
        double r = 0;
        if (op == NEG) {
            r = -x;
        } else if (op == ABS) {
            r = abs(x);
        } else if (op == SIGN) {
            r = (0 < x ? 1 : 0) - (x < 0 ? 1 : 0);
        } else if (op == RELU) {
            r = x < 0 ? 0 : x;
        } else if (op == EXP) {
            r = exp(x);
        } else if (op == LOG) {
            r = log(x);
        } else if (op == SQRT) {
            r = sqrt(x);
        } else if (op == RSQRT) {
            r = 1.0 / sqrt(x);
        } else if (op == RECIPROCAL) {
            r = 1.0 / x;
        } else if (op == SIN) {
            r = sin(x);
        } else if (op == COS) {
            r = cos(x);
        } else if (op == TANH) {
            r = tanh(x);
        } else if (op == SIGMOID) {
            r = 1.0 / (1.0 + exp(-x));
        }
        return r;
    }

    long unaryL(int op, long x) {
        long r = 0;
        if (op == NEG) {
            r = -x;
        } else if (op == ABS) {
            r = x < 0 ? -x : x;
        } else if (op == SIGN) {
            r = (0 < x ? 1 : 0) - (x < 0 ? 1 : 0);
        } else if (op == RELU) {
            r = x < 0 ? 0 : x;
        }
        return r;
    }

    double binaryD(int op, double x, double y) {
        double r = 0;
        if (op == ADD) {
            r = x + y;
        } else if (op == SUB) {
            r = x - y;
        } else if (op == MUL) {
            r = x * y;
        } else if (op == DIV) {
            r = x / y;
        } else if (op == POW) {
            // C's pow, as PyTorch: 1 ** y is 1 even for NaN, and (-1) ** ±inf is 1
            if (x == 1) {
                r = 1;
            } else if (x == -1 && y == y && y - y != y - y) {
                r = 1;
            } else {
                r = pow(x, y);
            }
        } else if (x != x) {
            r = x;
        } else if (y != y) {
            r = y;
        } else if (op == MAXIMUM) {
            r = x < y ? y : x;
        } else {
            r = x > y ? y : x;
        }
        return r;
    }

    /** Comparisons and logical ops of floating-point operands: NaN compares false except by NE. */
    long compareD(int op, double x, double y) {
        long r = 0;
        if (op == EQ) {
            r = x == y ? 1 : 0;
        } else if (op == NE) {
            r = x != y ? 1 : 0;
        } else if (op == LT) {
            r = x < y ? 1 : 0;
        } else if (op == LE) {
            r = x <= y ? 1 : 0;
        } else if (op == GT) {
            r = x > y ? 1 : 0;
        } else if (op == GE) {
            r = x >= y ? 1 : 0;
        } else if (op == LOGICAL_AND) {
            r = x != 0 && y != 0 ? 1 : 0;
        } else {
            r = x != 0 || y != 0 ? 1 : 0;
        }
        return r;
    }

    long compareL(int op, long x, long y) {
        long r = 0;
        if (op == EQ) {
            r = x == y ? 1 : 0;
        } else if (op == NE) {
            r = x != y ? 1 : 0;
        } else if (op == LT) {
            r = x < y ? 1 : 0;
        } else if (op == LE) {
            r = x <= y ? 1 : 0;
        } else if (op == GT) {
            r = x > y ? 1 : 0;
        } else {
            r = x >= y ? 1 : 0;
        }
        return r;
    }

    long binaryL(int op, long x, long y) {
        long r = 0;
        if (op == ADD) {
            r = x + y;
        } else if (op == SUB) {
            r = x - y;
        } else if (op == MUL) {
            r = x * y;
        } else if (op == POW) {
            r = powL(x, y);
        } else if (op == MAXIMUM) {
            r = x < y ? y : x;
        } else if (op == MINIMUM) {
            r = x > y ? y : x;
        } else if (op == LOGICAL_AND) {
            r = x != 0 && y != 0 ? 1 : 0;
        } else {
            r = x != 0 || y != 0 ? 1 : 0;
        }
        return r;
    }

    /** Integer power by squaring (the same wrap-around as repeated multiplication); negative exponents as PyTorch. */
    long powL(long base, long exponent) {
        long r = 1;
        if (exponent < 0) {
            if (base == 1) {
                r = 1;
            } else if (base == -1) {
                r = (exponent & 1) == 0 ? 1 : -1;
            } else {
                r = 0;
            }
        } else {
            long b = base;
            long e = exponent;
            while (e > 0) {
                if ((e & 1) != 0) {
                    r = r * b;
                }
                b = b * b;
                e = e >> 1;
            }
        }
        return r;
    }

    // ---- reductions: one work-item per output element, the reduced elements in row-major order ----

    void reduceAny(int g) {
        int op = launchOp;
        int kept = plan[RANK];
        int inner = plan[INNER_RANK];
        int count = plan[COUNT];
        int dstBase = REDUCE_SHAPE + kept + inner;
        int srcBase = dstBase + 2 + kept;
        int dstType = plan[dstBase];
        int srcType = plan[srcBase];
        int dst = plan[dstBase + 1];
        int src = plan[srcBase + 1];
        int rest = g;
        for (int d = kept - 1; d >= 0; d--) {
            int size = plan[REDUCE_SHAPE + d];
            int i = rest % size;
            rest = rest / size;
            dst += i * plan[dstBase + 2 + d];
            src += i * plan[srcBase + 2 + d];
        }
        int best = -1;
        if (srcType <= F64) {
            double acc = op == PROD ? 1 : 0;
            double bestValue = 0;
            for (int p = 0; p < count; p++) {
                double v = loadD(srcType, reducedAt(src, srcBase + 2 + kept, inner, kept, p));
                if (op == SUM) {
                    acc = acc + v;
                } else if (op == PROD) {
                    acc = acc * v;
                } else if (replacesD(op, best, bestValue, v) == 1) {
                    best = p;
                    bestValue = v;
                }
            }
            if (op == SUM || op == PROD) {
                storeD(dstType, dst, acc);
            } else if (op == MAX || op == ProgramCodes.MIN) {
                storeD(dstType, dst, bestValue);
            } else {
                storeL(dstType, dst, best);
            }
        } else {
            long acc = op == PROD ? 1 : 0;
            long bestValue = 0;
            for (int p = 0; p < count; p++) {
                long v = loadL(srcType, reducedAt(src, srcBase + 2 + kept, inner, kept, p));
                if (op == SUM) {
                    acc = acc + v;
                } else if (op == PROD) {
                    acc = acc * v;
                } else if (replacesL(op, best, bestValue, v) == 1) {
                    best = p;
                    bestValue = v;
                }
            }
            if (op == SUM || op == PROD) {
                storeL(dstType, dst, acc);
            } else if (op == MAX || op == ProgramCodes.MIN) {
                storeL(dstType, dst, bestValue);
            } else {
                storeL(dstType, dst, best);
            }
        }
    }

    /** 1 when v takes the place of the best so far (index best, -1 for none): the first NaN wins for good. */
    int replacesD(int op, int best, double bestValue, double v) {
        int r = 0;
        if (best < 0) {
            r = 1;
        } else if (bestValue != bestValue) {
            r = 0;
        } else if (v != v) {
            r = 1;
        } else if (op == MAX || op == ARGMAX) {
            r = v > bestValue ? 1 : 0;
        } else {
            r = v < bestValue ? 1 : 0;
        }
        return r;
    }

    int replacesL(int op, int best, long bestValue, long v) {
        int r = 0;
        if (best < 0) {
            r = 1;
        } else if (op == MAX || op == ARGMAX) {
            r = v > bestValue ? 1 : 0;
        } else {
            r = v < bestValue ? 1 : 0;
        }
        return r;
    }

    /** The arena index of the p-th reduced element (row-major) from the kept element's first one. */
    int reducedAt(int start, int strideBase, int inner, int kept, int p) {
        int at = start;
        int rest = p;
        for (int d = inner - 1; d >= 0; d--) {
            int size = plan[REDUCE_SHAPE + kept + d];
            at += (rest % size) * plan[strideBase + d];
            rest = rest / size;
        }
        return at;
    }

    // ---- matrix products ----

    /** Any dtype, one output element per work-item, double or long accumulation. */
    void matmulAny(int g) {
        int m = plan[MM_M];
        int k = plan[MM_K];
        int n = plan[MM_N];
        int col = g % n;
        int row = (g / n) % m;
        int batch = g / n / m;
        int type = plan[MM_DST];
        int dst = plan[MM_DST + 1] + batch * plan[MM_DST + 2] + row * plan[MM_DST + 3] + col * plan[MM_DST + 4];
        int a = plan[MM_A + 1] + batch * plan[MM_A + 2] + row * plan[MM_A + 3];
        int aStep = plan[MM_A + 4];
        int b = plan[MM_BOP + 1] + batch * plan[MM_BOP + 2] + col * plan[MM_BOP + 4];
        int bStep = plan[MM_BOP + 3];
        if (type <= F64) {
            double acc = 0;
            for (int i = 0; i < k; i++) {
                acc = acc + loadD(type, a + i * aStep) * loadD(type, b + i * bStep);
            }
            storeD(type, dst, acc);
        } else {
            long acc = 0;
            for (int i = 0; i < k; i++) {
                acc = acc + loadL(type, a + i * aStep) * loadL(type, b + i * bStep);
            }
            storeL(type, dst, acc);
        }
    }

    /**
     * float32, eight neighbouring output columns of one row per work-item: each element of A is loaded once for eight
     * products, and the eight B elements of a step are neighbours when B is row-major.
     */
    void matmulStrip(int g) {
        int m = plan[MM_M];
        int k = plan[MM_K];
        int n = plan[MM_N];
        int strips = (n + STRIP - 1) / STRIP;
        int col = (g % strips) * STRIP;
        int row = (g / strips) % m;
        int batch = g / strips / m;
        int cols = n - col < STRIP ? n - col : STRIP;
        int a = plan[MM_A + 1] + batch * plan[MM_A + 2] + row * plan[MM_A + 3];
        int aStep = plan[MM_A + 4];
        int b = plan[MM_BOP + 1] + batch * plan[MM_BOP + 2] + col * plan[MM_BOP + 4];
        int bStep = plan[MM_BOP + 3];
        int bc = plan[MM_BOP + 4];
        float c0 = 0;
        float c1 = 0;
        float c2 = 0;
        float c3 = 0;
        float c4 = 0;
        float c5 = 0;
        float c6 = 0;
        float c7 = 0;
        if (cols == STRIP) {
            for (int i = 0; i < k; i++) {
                float x = f32[a + i * aStep];
                int at = b + i * bStep;
                c0 += x * f32[at];
                c1 += x * f32[at + bc];
                c2 += x * f32[at + 2 * bc];
                c3 += x * f32[at + 3 * bc];
                c4 += x * f32[at + 4 * bc];
                c5 += x * f32[at + 5 * bc];
                c6 += x * f32[at + 6 * bc];
                c7 += x * f32[at + 7 * bc];
            }
        } else {
            for (int i = 0; i < k; i++) {
                float x = f32[a + i * aStep];
                int at = b + i * bStep;
                c0 += x * f32[at];
                if (cols > 1) {
                    c1 += x * f32[at + bc];
                }
                if (cols > 2) {
                    c2 += x * f32[at + 2 * bc];
                }
                if (cols > 3) {
                    c3 += x * f32[at + 3 * bc];
                }
                if (cols > 4) {
                    c4 += x * f32[at + 4 * bc];
                }
                if (cols > 5) {
                    c5 += x * f32[at + 5 * bc];
                }
                if (cols > 6) {
                    c6 += x * f32[at + 6 * bc];
                }
            }
        }
        int dst = plan[MM_DST + 1] + batch * plan[MM_DST + 2] + row * plan[MM_DST + 3] + col * plan[MM_DST + 4];
        int dc = plan[MM_DST + 4];
        f32[dst] = c0;
        if (cols > 1) {
            f32[dst + dc] = c1;
        }
        if (cols > 2) {
            f32[dst + 2 * dc] = c2;
        }
        if (cols > 3) {
            f32[dst + 3 * dc] = c3;
        }
        if (cols > 4) {
            f32[dst + 4 * dc] = c4;
        }
        if (cols > 5) {
            f32[dst + 5 * dc] = c5;
        }
        if (cols > 6) {
            f32[dst + 6 * dc] = c6;
        }
        if (cols > 7) {
            f32[dst + 7 * dc] = c7;
        }
    }
}
