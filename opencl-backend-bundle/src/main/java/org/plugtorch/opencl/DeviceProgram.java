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
import static org.plugtorch.opencl.ProgramCodes.ERF;
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
import static org.plugtorch.opencl.ProgramCodes.GELU;
import static org.plugtorch.opencl.ProgramCodes.GELU_TANH;
import static org.plugtorch.opencl.ProgramCodes.GT;
import static org.plugtorch.opencl.ProgramCodes.I32;
import static org.plugtorch.opencl.ProgramCodes.I64;
import static org.plugtorch.opencl.ProgramCodes.INNER_RANK;
import static org.plugtorch.opencl.ProgramCodes.LE;
import static org.plugtorch.opencl.ProgramCodes.LEAKY_RELU;
import static org.plugtorch.opencl.ProgramCodes.LOG;
import static org.plugtorch.opencl.ProgramCodes.LOGICAL_AND;
import static org.plugtorch.opencl.ProgramCodes.LOGICAL_NOT;
import static org.plugtorch.opencl.ProgramCodes.LOGICAL_OR;
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
import static org.plugtorch.opencl.ProgramCodes.SILU;
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
import org.plugtorch.spi.UnaryOp;

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
    /** GELU's constants in float (the SPI's, rounded so): Aparapi inlines final primitive fields. */
    private static final float GELU_SCALE_F = (float) UnaryOp.GELU_SCALE;

    private static final float GELU_TANH_SCALE_F = (float) UnaryOp.GELU_TANH_SCALE;
    private static final float GELU_TANH_CUBIC_F = (float) UnaryOp.GELU_TANH_CUBIC;

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
                storeD(dstType, dst, unaryD(op, loadD(srcType, src), srcType == F32 ? 1 : 0));
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
                if (op >= EQ && op <= LOGICAL_OR) { // the comparisons and logical ops, which write bool
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

    /**
     * Computes in double and rounds once when stored, but where the SPI defines a step in the operand's dtype (GELU's
     * scaled argument, the tanh GELU's argument and the SiLU exponential), {@code single} runs it in float.
     */
    double unaryD(int op, double x, int single) {
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
        } else if (op == ERF) {
            r = erfK(x);
        } else if (op == GELU) {
            r = single == 1 ? 0.5 * x * erfcK(-(float) x * GELU_SCALE_F) : 0.5 * x * erfcK(-x * UnaryOp.GELU_SCALE);
        } else if (op == GELU_TANH) {
            r = single == 1 ? geluTanhF((float) x) : geluTanhD(x);
        } else if (op == SILU) {
            r = single == 1 ? x / (1.0 + (float) exp(-x)) : x / (1.0 + exp(-x));
        }
        return r;
    }

    /**
     * The tanh GELU in float, step by step as the SPI defines it; each step is its own statement, so that the OpenCL
     * compiler (which contracts within an expression) does not fuse a product and a sum into one rounding.
     */
    double geluTanhF(float x) {
        float square = x * x;
        float cube = square * x;
        float scaledCube = GELU_TANH_CUBIC_F * cube;
        float sum = x + scaledCube;
        float u = GELU_TANH_SCALE_F * sum;
        float e = exp(-2.0f * u);
        return x / (1.0f + e);
    }

    /** {@link #geluTanhF} in double. */
    double geluTanhD(double x) {
        double square = x * x;
        double cube = square * x;
        double scaledCube = UnaryOp.GELU_TANH_CUBIC * cube;
        double sum = x + scaledCube;
        double u = UnaryOp.GELU_TANH_SCALE * sum;
        return x / (1.0 + exp(-2.0 * u));
    }

    // ---- the error function and its complement, which OpenCL has but Aparapi does not reach: the CPU backend's
    // method (org.plugtorch.cpu.SpecialFunctions: the Taylor series below 1, exp(-x^2) * erfcx(x) from 0.5, with
    // erfcx fitted on [0.5, 1), [1, 2), ..., [16, 32) by its src/build/fit-erfcx.py), written as kernel code ----

    double erfK(double x) {
        double a = abs(x);
        double r = 0;
        if (a < 1) {
            r = x * erfSeriesK(x * x);
        } else if (x != x) {
            r = x;
        } else if (a > 6) {
            r = x < 0 ? -1.0 : 1.0;
        } else {
            double v = 1 - erfcFromHalfK(a);
            r = x < 0 ? -v : v;
        }
        return r;
    }

    double erfcK(double x) {
        double r = 0;
        if (x >= 0.5) {
            r = erfcFromHalfK(x);
        } else if (x > -1) {
            r = 1 - x * erfSeriesK(x * x);
        } else if (x != x) {
            r = x;
        } else {
            r = 2 - erfcFromHalfK(-x);
        }
        return r;
    }

    /** {@code erf(x) / x} for {@code z = x^2 < 1}. */
    double erfSeriesK(double z) {
        double p = -9.28672901131906e-25;
        p = p * z + 2.2308786802746453e-23;
        p = p * z + -5.136209054585811e-22;
        p = p * z + 1.131218725924631e-20;
        p = p * z + -2.3784598852774293e-19;
        p = p * z + 4.763348040515068e-18;
        p = p * z + -9.063970842808673e-17;
        p = p * z + 1.6342614095367152e-15;
        p = p * z + -2.7835162072109215e-14;
        p = p * z + 4.4632242632864775e-13;
        p = p * z + -6.7113668551641105e-12;
        p = p * z + 9.422759064650411e-11;
        p = p * z + -1.2290555301717928e-09;
        p = p * z + 1.4807192815879218e-08;
        p = p * z + -1.6365844691234924e-07;
        p = p * z + 1.6462114365889248e-06;
        p = p * z + -1.492565035840625e-05;
        p = p * z + 0.00012055332981789664;
        p = p * z + -0.0008548327023450853;
        p = p * z + 0.005223977625442188;
        p = p * z + -0.026866170645131252;
        p = p * z + 0.11283791670955126;
        p = p * z + -0.37612638903183754;
        p = p * z + 1.1283791670955126;
        return p;
    }

    /** erfc for {@code x >= 0.5}, with the rounding of {@code x^2} corrected. */
    double erfcFromHalfK(double x) {
        double r = 0;
        if (x < 27.3) {
            double square = x * x;
            double squareError = fma(x, x, -square);
            double scale = exp(-square) * (1 - squareError);
            r = scale * erfcxK(x);
        }
        return r;
    }

    /** {@code exp(x^2) * erfc(x)} for {@code 0.5 <= x < 32}: each interval's polynomial in t from -1 to 1. */
    double erfcxK(double x) {
        double t = 0;
        double p = 0;
        if (x < 1) {
            t = 4 * x - 3;
            p = -2.1463289279578493e-13;
            p = p * t + 2.585599367357183e-12;
            p = p * t + -2.940348914756972e-11;
            p = p * t + 3.306043556501409e-10;
            p = p * t + -3.5801438250789833e-09;
            p = p * t + 3.719545089633589e-08;
            p = p * t + -3.693562177597921e-07;
            p = p * t + 3.4885738732198706e-06;
            p = p * t + -3.114966996088564e-05;
            p = p * t + 0.00026090055675162256;
            p = p * t + -0.002028688468670001;
            p = p * t + 0.014434883221955935;
            p = p * t + -0.09199317291394885;
            p = p * t + 0.5069376502931449;
        } else if (x < 2) {
            t = 2 * x - 3;
            p = -2.653391343981901e-14;
            p = p * t + 2.0291817549924027e-13;
            p = p * t + -1.3992758101971656e-12;
            p = p * t + 1.0198183507810793e-11;
            p = p * t + -7.276757137420257e-11;
            p = p * t + 5.04660275957676e-10;
            p = p * t + -3.405755489104501e-09;
            p = p * t + 2.232841289840529e-08;
            p = p * t + -1.4191195815474282e-07;
            p = p * t + 8.723044760263366e-07;
            p = p * t + -5.171328643696019e-06;
            p = p * t + 2.9470857452441112e-05;
            p = p * t + -0.0001608111733745461;
            p = p * t + 0.0008360838095667819;
            p = p * t + -0.004116363162445329;
            p = p * t + 0.019037759963869347;
            p = p * t + -0.08181145886628004;
            p = p * t + 0.3215854164543175;
        } else if (x < 4) {
            t = (2 * x - 6) / 2;
            p = -3.32463503923892e-13;
            p = p * t + 1.6647790649164353e-12;
            p = p * t + -6.555844952443731e-12;
            p = p * t + 3.165046186861128e-11;
            p = p * t + -1.539306000137148e-10;
            p = p * t + 7.206556491473509e-10;
            p = p * t + -3.312780752600577e-09;
            p = p * t + 1.4977112890287265e-08;
            p = p * t + -6.646690382092543e-08;
            p = p * t + 2.8926692938101366e-07;
            p = p * t + -1.2333677143104898e-06;
            p = p * t + 5.146436493852072e-06;
            p = p * t + -2.0989464462229973e-05;
            p = p * t + 8.355413963925958e-05;
            p = p * t + -0.00032412554449670324;
            p = p * t + 0.0012230390523759822;
            p = p * t + -0.00447943101837258;
            p = p * t + 0.01588437115987136;
            p = p * t + -0.05437226000717287;
            p = p * t + 0.17900115118138996;
        } else if (x < 8) {
            t = (2 * x - 12) / 4;
            p = -8.531174133610087e-13;
            p = p * t + 3.2022608063710063e-12;
            p = p * t + -7.239925121260971e-12;
            p = p * t + 2.6516574843772023e-11;
            p = p * t + -1.0748095480327166e-10;
            p = p * t + 3.8895066124089896e-10;
            p = p * t + -1.381112199354957e-09;
            p = p * t + 4.913089106099897e-09;
            p = p * t + -1.7340406794222963e-08;
            p = p * t + 6.062505372899759e-08;
            p = p * t + -2.1004725830730658e-07;
            p = p * t + 7.210766433107766e-07;
            p = p * t + -2.45204695315907e-06;
            p = p * t + 8.257487438143972e-06;
            p = p * t + -2.7531014707775387e-05;
            p = p * t + 9.08505314291635e-05;
            p = p * t + -0.00029664123220931536;
            p = p * t + 0.0009580615952121717;
            p = p * t + -0.0030595855557640408;
            p = p * t + 0.009657787464897682;
            p = p * t + -0.030120706978104643;
            p = p * t + 0.09277656780053835;
        } else if (x < 16) {
            t = (2 * x - 24) / 8;
            p = -3.434648871597988e-12;
            p = p * t + 1.1071752713005102e-11;
            p = p * t + -1.670001162127769e-11;
            p = p * t + 5.319040801928988e-11;
            p = p * t + -2.137763712754226e-10;
            p = p * t + 6.794116928957748e-10;
            p = p * t + -2.092747157888705e-09;
            p = p * t + 6.608238802274673e-09;
            p = p * t + -2.0854586150350318e-08;
            p = p * t + 6.546191787465535e-08;
            p = p * t + -2.0483192651753135e-07;
            p = p * t + 6.390407742147068e-07;
            p = p * t + -1.9875421776079478e-06;
            p = p * t + 6.162327694442449e-06;
            p = p * t + -1.9045977430272558e-05;
            p = p * t + 5.8678514057553255e-05;
            p = p * t + -0.00018020184997030722;
            p = p * t + 0.0005516077713113356;
            p = p * t + -0.0016829798529769155;
            p = p * t + 0.005117890530344042;
            p = p * t + -0.015511450952249085;
            p = p * t + 0.04685422101489376;
        } else {
            t = (2 * x - 48) / 16;
            p = -3.3405350865497224e-12;
            p = p * t + 1.0219969547339328e-11;
            p = p * t + -1.2868293429368607e-11;
            p = p * t + 3.9212716818495976e-11;
            p = p * t + -1.63026222373947e-10;
            p = p * t + 4.967004484953493e-10;
            p = p * t + -1.4535066758274675e-09;
            p = p * t + 4.420102056620403e-09;
            p = p * t + -1.3479090350587109e-08;
            p = p * t + 4.092253961719089e-08;
            p = p * t + -1.2411069982477825e-07;
            p = p * t + 3.7616775616968174e-07;
            p = p * t + -1.1391779152434534e-06;
            p = p * t + 3.4469220886709903e-06;
            p = p * t + -1.0420862812966705e-05;
            p = p * t + 3.1478021029043144e-05;
            p = p * t + -9.500395425932008e-05;
            p = p * t + 0.00028648739501745953;
            p = p * t + -0.0008631732770004608;
            p = p * t + 0.0025984725620955182;
            p = p * t + -0.007815648309966632;
            p = p * t + 0.02348754606368264;
        }
        return p;
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
        } else if (op == LEAKY_RELU) {
            r = x > 0 ? x : x * y;
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
