// Shared by every plugtorch CUDA kernel: the parameter structs and op codes that the host
// (org.plugtorch.cuda) packs, element types, and the strided-index helper.
//
// The structs hold only 64-bit integers, so their layout has no padding and the host packs them as
// little-endian longs in declaration order (org.plugtorch.cuda.KernelStructs; a test compares both).
// The op codes are read by name by the host and by the test driver, so keep one "NAME = value," per line.
#pragma once

#define PT_MAX_DIMS 8
#define PT_MAX_OPERANDS 4
#define PT_BLOCK 256

// Tile shapes of the matrix products; the host sizes its grids from these lines.
#define PT_MM32_BM 128
#define PT_MM32_BN 128
#define PT_MM64_BM 64
#define PT_MM64_BN 64

enum PtUnaryOp {
    PT_UNARY_NEG = 0,
    PT_UNARY_ABS = 1,
    PT_UNARY_SIGN = 2,
    PT_UNARY_RELU = 3,
    PT_UNARY_EXP = 4,
    PT_UNARY_LOG = 5,
    PT_UNARY_SQRT = 6,
    PT_UNARY_RSQRT = 7,
    PT_UNARY_RECIPROCAL = 8,
    PT_UNARY_SIN = 9,
    PT_UNARY_COS = 10,
    PT_UNARY_TANH = 11,
    PT_UNARY_SIGMOID = 12,
    PT_UNARY_ERF = 13,
    PT_UNARY_GELU = 14,
    PT_UNARY_GELU_TANH = 15,
    PT_UNARY_SILU = 16,
};

enum PtBinaryOp {
    PT_BINARY_ADD = 0,
    PT_BINARY_SUB = 1,
    PT_BINARY_MUL = 2,
    PT_BINARY_DIV = 3,
    PT_BINARY_POW = 4,
    PT_BINARY_MAXIMUM = 5,
    PT_BINARY_MINIMUM = 6,
    PT_BINARY_EQ = 7,
    PT_BINARY_NE = 8,
    PT_BINARY_LT = 9,
    PT_BINARY_LE = 10,
    PT_BINARY_GT = 11,
    PT_BINARY_GE = 12,
    PT_BINARY_LOGICAL_AND = 13,
    PT_BINARY_LOGICAL_OR = 14,
    PT_BINARY_LEAKY_RELU = 15,
};

enum PtReduceOp {
    PT_REDUCE_SUM = 0,
    PT_REDUCE_PROD = 1,
    PT_REDUCE_MAX = 2,
    PT_REDUCE_MIN = 3,
    PT_REDUCE_ARGMAX = 4,
    PT_REDUCE_ARGMIN = 5,
};

// Element-wise operands of one shape: operand o's element i0..i(rank-1) is at
// offset[o] + sum(i_d * stride[o][d]) elements from its pointer.
struct PtStrided {
    long long numel;
    long long rank;
    long long shape[PT_MAX_DIMS];
    long long offset[PT_MAX_OPERANDS];
    long long stride[PT_MAX_OPERANDS][PT_MAX_DIMS];
};

// A reduction: each of the `outputs` destination elements (outer index over outerShape) reduces the
// `inner` source elements under it (inner index over innerShape, row-major: ARGMAX reports that index).
struct PtReduction {
    long long outputs;
    long long inner;
    long long outerRank;
    long long innerRank;
    long long outerShape[PT_MAX_DIMS];
    long long innerShape[PT_MAX_DIMS];
    long long dstOffset;
    long long srcOffset;
    long long dstStride[PT_MAX_DIMS];
    long long srcOuterStride[PT_MAX_DIMS];
    long long srcInnerStride[PT_MAX_DIMS];
};

// A batched product c[z] = a[z] @ b[z] for z < batch (blockIdx.z), a of [m, k], b of [k, n].
struct PtMatmul {
    long long batch;
    long long m;
    long long n;
    long long k;
    long long aOffset;
    long long bOffset;
    long long cOffset;
    long long aBatch;
    long long aRow;
    long long aCol;
    long long bBatch;
    long long bRow;
    long long bCol;
    long long cBatch;
    long long cRow;
    long long cCol;
};

typedef unsigned char pt_bool;

// Grid-stride loop over the flat element index, so any grid covers any size.
#define PT_FOR_EACH(L, i) \
    for (long long i = (long long) blockIdx.x * blockDim.x + threadIdx.x; i < (L).numel; \
         i += (long long) gridDim.x * blockDim.x)

// The element offsets of flat index i (row-major over L.shape) in the first N operands. The loops run
// over compile-time indices so the struct is read straight from parameter space; a rank-1 layout (what
// contiguous operands collapse to) costs no division.
template <int N>
__device__ __forceinline__ void pt_offsets(const PtStrided& L, long long i, long long (&off)[N]) {
#pragma unroll
    for (int o = 0; o < N; o++) {
        off[o] = L.offset[o];
    }
    long long rem = i;
#pragma unroll
    for (int d = PT_MAX_DIMS - 1; d > 0; d--) {
        if (d < L.rank) {
            long long extent = L.shape[d];
            long long c = rem % extent;
            rem /= extent;
#pragma unroll
            for (int o = 0; o < N; o++) {
                off[o] += c * L.stride[o][d];
            }
        }
    }
    if (L.rank > 0) {
#pragma unroll
        for (int o = 0; o < N; o++) {
            off[o] += rem * L.stride[o][0];
        }
    }
}

// The offset of a row-major index over `rank` dims of `shape` with `stride`.
__device__ __forceinline__ long long pt_offset_of(long long index, long long rank, const long long* shape,
                                                   const long long* stride) {
    long long off = 0;
    long long rem = index;
#pragma unroll
    for (int d = PT_MAX_DIMS - 1; d > 0; d--) {
        if (d < rank) {
            long long extent = shape[d];
            off += (rem % extent) * stride[d];
            rem /= extent;
        }
    }
    if (rank > 0) {
        off += rem * stride[0];
    }
    return off;
}
