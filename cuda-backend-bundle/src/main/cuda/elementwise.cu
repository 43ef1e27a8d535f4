// Element-wise kernels over strided operands (PtStrided): copy with dtype conversion, fill, unary, binary,
// comparisons and where. Semantics are the SPI's (org.plugtorch.spi.UnaryOp, BinaryOp): integer arithmetic
// wraps around (done in unsigned types, where C++ defines it), bool computes as 0/1 and stores != 0,
// NaN rules as C and PyTorch. Built without fast-math: division and sqrt are correctly rounded and
// subnormals are kept.
#include "plugtorch.cuh"

// ---- conversions, as C casts (float to integer truncates toward zero; anything to bool is != 0) ----

template <typename D, typename S>
__device__ __forceinline__ D pt_convert(S x) {
    return (D) x;
}
template <> __device__ __forceinline__ pt_bool pt_convert<pt_bool, float>(float x) { return x != 0.0f; }
template <> __device__ __forceinline__ pt_bool pt_convert<pt_bool, double>(double x) { return x != 0.0; }
template <> __device__ __forceinline__ pt_bool pt_convert<pt_bool, int>(int x) { return x != 0; }
template <> __device__ __forceinline__ pt_bool pt_convert<pt_bool, long long>(long long x) { return x != 0; }
template <> __device__ __forceinline__ pt_bool pt_convert<pt_bool, pt_bool>(pt_bool x) { return x != 0; }
template <> __device__ __forceinline__ float pt_convert<float, pt_bool>(pt_bool x) { return x != 0; }
template <> __device__ __forceinline__ double pt_convert<double, pt_bool>(pt_bool x) { return x != 0; }
template <> __device__ __forceinline__ int pt_convert<int, pt_bool>(pt_bool x) { return x != 0; }
template <> __device__ __forceinline__ long long pt_convert<long long, pt_bool>(pt_bool x) { return x != 0; }
// narrowing keeps the low 32 bits (two's complement), as Java and PyTorch do
template <> __device__ __forceinline__ int pt_convert<int, long long>(long long x) {
    return (int) (unsigned int) (unsigned long long) x;
}

template <typename D, typename S>
__device__ __forceinline__ void pt_copy(const PtStrided& L, D* dst, const S* src) {
    PT_FOR_EACH(L, i) {
        long long off[2];
        pt_offsets<2>(L, i, off);
        dst[off[0]] = pt_convert<D, S>(src[off[1]]);
    }
}

#define PT_COPY(NAME, D, S) \
    extern "C" __global__ void __launch_bounds__(PT_BLOCK) NAME(PtStrided L, D* dst, const S* src) { \
        pt_copy<D, S>(L, dst, src); \
    }

#define PT_COPY_FROM(SN, S) \
    PT_COPY(pt_copy_##SN##_b8, pt_bool, S) \
    PT_COPY(pt_copy_##SN##_i32, int, S) \
    PT_COPY(pt_copy_##SN##_i64, long long, S) \
    PT_COPY(pt_copy_##SN##_f32, float, S) \
    PT_COPY(pt_copy_##SN##_f64, double, S)

PT_COPY_FROM(b8, pt_bool)
PT_COPY_FROM(i32, int)
PT_COPY_FROM(i64, long long)
PT_COPY_FROM(f32, float)
PT_COPY_FROM(f64, double)

// ---- fill: the host converts the value and passes its bits ----

#define PT_FILL(NAME, T) \
    extern "C" __global__ void __launch_bounds__(PT_BLOCK) NAME(PtStrided L, T* dst, unsigned long long bits) { \
        T value = (T) bits; \
        PT_FOR_EACH(L, i) { \
            long long off[1]; \
            pt_offsets<1>(L, i, off); \
            dst[off[0]] = value; \
        } \
    }

PT_FILL(pt_fill_8, unsigned char)
PT_FILL(pt_fill_32, unsigned int)
PT_FILL(pt_fill_64, unsigned long long)

// ---- unary ----

__device__ __forceinline__ float pt_exp(float x) { return expf(x); }
__device__ __forceinline__ double pt_exp(double x) { return exp(x); }
__device__ __forceinline__ float pt_log(float x) { return logf(x); }
__device__ __forceinline__ double pt_log(double x) { return log(x); }
__device__ __forceinline__ float pt_sqrt(float x) { return sqrtf(x); }
__device__ __forceinline__ double pt_sqrt(double x) { return sqrt(x); }
__device__ __forceinline__ float pt_sin(float x) { return sinf(x); }
__device__ __forceinline__ double pt_sin(double x) { return sin(x); }
__device__ __forceinline__ float pt_cos(float x) { return cosf(x); }
__device__ __forceinline__ double pt_cos(double x) { return cos(x); }
__device__ __forceinline__ float pt_tanh(float x) { return tanhf(x); }
__device__ __forceinline__ double pt_tanh(double x) { return tanh(x); }
__device__ __forceinline__ float pt_fabs(float x) { return fabsf(x); }
__device__ __forceinline__ double pt_fabs(double x) { return fabs(x); }
__device__ __forceinline__ float pt_erf(float x) { return erff(x); }
__device__ __forceinline__ double pt_erf(double x) { return erf(x); }
__device__ __forceinline__ float pt_erfc(float x) { return erfcf(x); }
__device__ __forceinline__ double pt_erfc(double x) { return erfc(x); }
// rounded products and sums that nvcc may not fuse into one fma: where the SPI defines an intermediate as computed
// in the operand's dtype (the tanh GELU's argument), each step rounds as it says
__device__ __forceinline__ float pt_mul_rn(float a, float b) { return __fmul_rn(a, b); }
__device__ __forceinline__ double pt_mul_rn(double a, double b) { return __dmul_rn(a, b); }
__device__ __forceinline__ float pt_add_rn(float a, float b) { return __fadd_rn(a, b); }
__device__ __forceinline__ double pt_add_rn(double a, double b) { return __dadd_rn(a, b); }

// GELU's constants (org.plugtorch.spi.UnaryOp: GELU_SCALE, GELU_TANH_SCALE, GELU_TANH_CUBIC)
#define PT_GELU_SCALE 0.7071067811865476
#define PT_GELU_TANH_SCALE 0.7978845608028654
#define PT_GELU_TANH_CUBIC 0.044715

template <typename T>
__device__ __forceinline__ T pt_unary_floating(int op, T x) {
    switch (op) {
        case PT_UNARY_NEG: return -x;
        case PT_UNARY_ABS: return pt_fabs(x);
        case PT_UNARY_SIGN: return (T) ((0 < x) - (x < 0)); // NaN and -0 give +0, as PyTorch
        case PT_UNARY_RELU: return x < 0 ? (T) 0 : x;       // NaN and -0 pass through
        case PT_UNARY_EXP: return pt_exp(x);
        case PT_UNARY_LOG: return pt_log(x);
        case PT_UNARY_SQRT: return pt_sqrt(x);
        case PT_UNARY_RSQRT: return (T) 1 / pt_sqrt(x); // two correct roundings: rsqrtf alone is 2 ulp
        case PT_UNARY_RECIPROCAL: return (T) 1 / x;
        case PT_UNARY_SIN: return pt_sin(x);
        case PT_UNARY_COS: return pt_cos(x);
        case PT_UNARY_TANH: return pt_tanh(x);
        case PT_UNARY_ERF: return pt_erf(x);
        case PT_UNARY_GELU: return (T) 0.5 * x * pt_erfc(-x * (T) PT_GELU_SCALE); // erfc: no cancellation below 0
        case PT_UNARY_GELU_TANH: {
            // x / 2 * (1 + tanh(u)) as the equal x / (1 + exp(-2u))
            T cube = pt_mul_rn(pt_mul_rn(x, x), x);
            T u = pt_mul_rn((T) PT_GELU_TANH_SCALE, pt_add_rn(x, pt_mul_rn((T) PT_GELU_TANH_CUBIC, cube)));
            return x / ((T) 1 + pt_exp((T) -2 * u));
        }
        case PT_UNARY_SILU: return x / ((T) 1 + pt_exp(-x));
        default: return (T) 1 / ((T) 1 + pt_exp(-x)); // PT_UNARY_SIGMOID
    }
}

// U is the unsigned type of the same width, in which negation wraps around
template <typename T, typename U>
__device__ __forceinline__ T pt_unary_integer(int op, T x) {
    switch (op) {
        case PT_UNARY_NEG: return (T) (0 - (U) x);
        case PT_UNARY_ABS: return x < 0 ? (T) (0 - (U) x) : x;
        case PT_UNARY_SIGN: return (T) ((0 < x) - (x < 0));
        default: return x < 0 ? (T) 0 : x; // PT_UNARY_RELU; the host refuses the floating-only ops
    }
}

#define PT_UNARY(NAME, T, EXPR) \
    extern "C" __global__ void __launch_bounds__(PT_BLOCK) NAME(PtStrided L, int op, T* dst, const T* src) { \
        PT_FOR_EACH(L, i) { \
            long long off[2]; \
            pt_offsets<2>(L, i, off); \
            T x = src[off[1]]; \
            dst[off[0]] = EXPR; \
        } \
    }

PT_UNARY(pt_unary_f32, float, pt_unary_floating<float>(op, x))
PT_UNARY(pt_unary_f64, double, pt_unary_floating<double>(op, x))
PT_UNARY(pt_unary_i32, int, (pt_unary_integer<int, unsigned int>(op, x)))
PT_UNARY(pt_unary_i64, long long, (pt_unary_integer<long long, unsigned long long>(op, x)))

#define PT_LOGICAL_NOT(NAME, T) \
    extern "C" __global__ void __launch_bounds__(PT_BLOCK) NAME(PtStrided L, pt_bool* dst, const T* src) { \
        PT_FOR_EACH(L, i) { \
            long long off[2]; \
            pt_offsets<2>(L, i, off); \
            dst[off[0]] = src[off[1]] == 0; \
        } \
    }

PT_LOGICAL_NOT(pt_logical_not_b8, pt_bool)
PT_LOGICAL_NOT(pt_logical_not_i32, int)
PT_LOGICAL_NOT(pt_logical_not_i64, long long)
PT_LOGICAL_NOT(pt_logical_not_f32, float)
PT_LOGICAL_NOT(pt_logical_not_f64, double)

// ---- binary arithmetic (writes the operand dtype) ----

__device__ __forceinline__ float pt_pow(float x, float y) { return powf(x, y); }
__device__ __forceinline__ double pt_pow(double x, double y) { return pow(x, y); }

template <typename T>
__device__ __forceinline__ T pt_binary_floating(int op, T a, T b) {
    switch (op) {
        case PT_BINARY_ADD: return a + b;
        case PT_BINARY_SUB: return a - b;
        case PT_BINARY_MUL: return a * b;
        case PT_BINARY_DIV: return a / b;
        case PT_BINARY_POW: return pt_pow(a, b); // C's pow: pow(1, NaN) and pow(-1, +-inf) are 1
        case PT_BINARY_MAXIMUM: return isnan(a) || isnan(b) ? a + b : (a < b ? b : a);
        case PT_BINARY_LEAKY_RELU: return a > 0 ? a : a * b;
        default: return isnan(a) || isnan(b) ? a + b : (a > b ? b : a); // PT_BINARY_MINIMUM
    }
}

// PyTorch's integer power: wraps around; a negative exponent gives 1 for base 1, +-1 for base -1, else 0.
template <typename T, typename U>
__device__ __forceinline__ T pt_pow_integer(T base, T exp) {
    if (exp < 0) {
        if (base == 1) {
            return 1;
        }
        if (base == -1) {
            return (exp & 1) == 0 ? 1 : -1;
        }
        return 0;
    }
    U result = 1;
    U b = (U) base;
    U e = (U) exp;
    while (e != 0) {
        if (e & 1) {
            result *= b;
        }
        b *= b;
        e >>= 1;
    }
    return (T) result;
}

template <typename T, typename U>
__device__ __forceinline__ T pt_binary_integer(int op, T a, T b) {
    switch (op) {
        case PT_BINARY_ADD: return (T) ((U) a + (U) b);
        case PT_BINARY_SUB: return (T) ((U) a - (U) b);
        case PT_BINARY_MUL: return (T) ((U) a * (U) b);
        case PT_BINARY_POW: return pt_pow_integer<T, U>(a, b);
        case PT_BINARY_MAXIMUM: return a < b ? b : a;
        default: return a > b ? b : a; // PT_BINARY_MINIMUM; the host refuses DIV on integers
    }
}

// bool operands compute as 0 and 1 and store != 0: ADD is or, MUL is and, 0 ** 0 is 1
__device__ __forceinline__ pt_bool pt_binary_bool(int op, pt_bool a, pt_bool b) {
    int x = a != 0;
    int y = b != 0;
    switch (op) {
        case PT_BINARY_ADD: return (x + y) != 0;
        case PT_BINARY_SUB: return (x - y) != 0;
        case PT_BINARY_MUL: return (x * y) != 0;
        case PT_BINARY_POW: return y == 0 || x != 0;
        case PT_BINARY_MAXIMUM: return x < y ? y : x;
        default: return x > y ? y : x; // PT_BINARY_MINIMUM
    }
}

#define PT_BINARY(NAME, T, EXPR) \
    extern "C" __global__ void __launch_bounds__(PT_BLOCK) NAME(PtStrided L, int op, T* dst, const T* a, \
                                                                 const T* b) { \
        PT_FOR_EACH(L, i) { \
            long long off[3]; \
            pt_offsets<3>(L, i, off); \
            T x = a[off[1]]; \
            T y = b[off[2]]; \
            dst[off[0]] = EXPR; \
        } \
    }

PT_BINARY(pt_binary_f32, float, pt_binary_floating<float>(op, x, y))
PT_BINARY(pt_binary_f64, double, pt_binary_floating<double>(op, x, y))
PT_BINARY(pt_binary_i32, int, (pt_binary_integer<int, unsigned int>(op, x, y)))
PT_BINARY(pt_binary_i64, long long, (pt_binary_integer<long long, unsigned long long>(op, x, y)))
PT_BINARY(pt_binary_b8, pt_bool, pt_binary_bool(op, x, y))

// ---- comparisons and logical ops (write bool); NaN compares false except under NE ----

template <typename T>
__device__ __forceinline__ pt_bool pt_compare(int op, T a, T b) {
    switch (op) {
        case PT_BINARY_EQ: return a == b;
        case PT_BINARY_NE: return a != b;
        case PT_BINARY_LT: return a < b;
        case PT_BINARY_LE: return a <= b;
        case PT_BINARY_GT: return a > b;
        case PT_BINARY_GE: return a >= b;
        case PT_BINARY_LOGICAL_AND: return a != 0 && b != 0;
        default: return a != 0 || b != 0; // PT_BINARY_LOGICAL_OR
    }
}

// bool bytes other than 0 and 1 would otherwise compare unequal to true
template <>
__device__ __forceinline__ pt_bool pt_compare<pt_bool>(int op, pt_bool a, pt_bool b) {
    return pt_compare<int>(op, a != 0, b != 0);
}

#define PT_COMPARE(NAME, T) \
    extern "C" __global__ void __launch_bounds__(PT_BLOCK) NAME(PtStrided L, int op, pt_bool* dst, const T* a, \
                                                                 const T* b) { \
        PT_FOR_EACH(L, i) { \
            long long off[3]; \
            pt_offsets<3>(L, i, off); \
            dst[off[0]] = pt_compare<T>(op, a[off[1]], b[off[2]]); \
        } \
    }

PT_COMPARE(pt_compare_b8, pt_bool)
PT_COMPARE(pt_compare_i32, int)
PT_COMPARE(pt_compare_i64, long long)
PT_COMPARE(pt_compare_f32, float)
PT_COMPARE(pt_compare_f64, double)

// ---- where: bits are copied, so -0 and NaN payloads survive ----

#define PT_WHERE(NAME, T) \
    extern "C" __global__ void __launch_bounds__(PT_BLOCK) NAME(PtStrided L, T* dst, const pt_bool* condition, \
                                                                 const T* a, const T* b) { \
        PT_FOR_EACH(L, i) { \
            long long off[4]; \
            pt_offsets<4>(L, i, off); \
            dst[off[0]] = condition[off[1]] != 0 ? a[off[2]] : b[off[3]]; \
        } \
    }

PT_WHERE(pt_where_8, unsigned char)
PT_WHERE(pt_where_32, unsigned int)
PT_WHERE(pt_where_64, unsigned long long)
