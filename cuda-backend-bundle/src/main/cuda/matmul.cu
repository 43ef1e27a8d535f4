// Batched matrix products c[z] = a[z] @ b[z] over arbitrary strides (PtMatmul): a shared-memory tiled kernel
// with register blocking. Each block computes a BM x BN tile of c with PT_BLOCK threads, each thread a TM x TN
// micro-tile held in registers. K advances BK at a time through two shared-memory buffers: while the block
// multiplies one, the next slice of a and b is already on its way into registers, so one barrier per slice
// suffices. Loads are coalesced along whichever dimension of a (and of b) has stride 1, which covers
// row-major operands and transposed weights (x @ W.t()) alike.
//
// Integer products accumulate in the unsigned type of the same width, so they wrap around as the SPI says.
// Out-of-range rows and columns load as zero and are not stored; K = 0 stores zeros.
#include "plugtorch.cuh"

template <typename T, typename U, int BM, int BN, int BK, int TM, int TN>
__device__ __forceinline__ void pt_matmul_tiled(const PtMatmul& P, T* c, const T* a, const T* b) {
    static_assert((BM / TM) * (BN / TN) == PT_BLOCK, "one micro-tile per thread");
    static_assert((BM * BK) % PT_BLOCK == 0 && (BK * BN) % PT_BLOCK == 0, "whole slices per thread");
    constexpr int LA = BM * BK / PT_BLOCK; // elements of a each thread loads per slice
    constexpr int LB = BK * BN / PT_BLOCK;
    // a is stored transposed (k-major); the padding spreads a row-major a's stores over the banks
    __shared__ U as[2][BK][BM + 4];
    __shared__ U bs[2][BK][BN];

    const int tid = threadIdx.x;
    const int tRow = tid / (BN / TN);
    const int tCol = tid % (BN / TN);
    const long long m0 = (long long) blockIdx.y * BM;
    const long long n0 = (long long) blockIdx.x * BN;
    const long long z = blockIdx.z;
    a += P.aOffset + z * P.aBatch;
    b += P.bOffset + z * P.bBatch;
    c += P.cOffset + z * P.cBatch;

    // this thread's share of each slice: (row, k) of a and (k, column) of b, fixed across slices
    const bool aAlongK = P.aCol == 1;
    const bool bAlongN = P.bCol == 1 || P.bRow != 1;
    int aRow[LA], aK[LA], bK[LB], bCol[LB];
#pragma unroll
    for (int i = 0; i < LA; i++) {
        int e = tid + i * PT_BLOCK;
        aRow[i] = aAlongK ? e / BK : e % BM;
        aK[i] = aAlongK ? e % BK : e / BM;
    }
#pragma unroll
    for (int i = 0; i < LB; i++) {
        int e = tid + i * PT_BLOCK;
        bK[i] = bAlongN ? e / BN : e % BK;
        bCol[i] = bAlongN ? e % BN : e / BK;
    }

    U aNext[LA], bNext[LB];
    auto fetch = [&](long long k0) {
#pragma unroll
        for (int i = 0; i < LA; i++) {
            long long m = m0 + aRow[i];
            long long k = k0 + aK[i];
            aNext[i] = m < P.m && k < P.k ? (U) a[m * P.aRow + k * P.aCol] : (U) 0;
        }
#pragma unroll
        for (int i = 0; i < LB; i++) {
            long long k = k0 + bK[i];
            long long n = n0 + bCol[i];
            bNext[i] = k < P.k && n < P.n ? (U) b[k * P.bRow + n * P.bCol] : (U) 0;
        }
    };
    auto stash = [&](int buffer) {
#pragma unroll
        for (int i = 0; i < LA; i++) {
            as[buffer][aK[i]][aRow[i]] = aNext[i];
        }
#pragma unroll
        for (int i = 0; i < LB; i++) {
            bs[buffer][bK[i]][bCol[i]] = bNext[i];
        }
    };

    U acc[TM][TN];
#pragma unroll
    for (int i = 0; i < TM; i++) {
#pragma unroll
        for (int j = 0; j < TN; j++) {
            acc[i][j] = (U) 0;
        }
    }

    const long long slices = (P.k + BK - 1) / BK;
    if (slices > 0) {
        fetch(0);
        stash(0);
        __syncthreads();
    }
    for (long long s = 0; s < slices; s++) {
        const int cur = (int) (s & 1);
        if (s + 1 < slices) {
            fetch((s + 1) * BK);
        }
#pragma unroll
        for (int kk = 0; kk < BK; kk++) {
            U ra[TM], rb[TN];
#pragma unroll
            for (int i = 0; i < TM; i++) {
                ra[i] = as[cur][kk][tRow * TM + i];
            }
#pragma unroll
            for (int j = 0; j < TN; j++) {
                rb[j] = bs[cur][kk][tCol * TN + j];
            }
#pragma unroll
            for (int i = 0; i < TM; i++) {
#pragma unroll
                for (int j = 0; j < TN; j++) {
                    acc[i][j] += ra[i] * rb[j];
                }
            }
        }
        if (s + 1 < slices) {
            stash(cur ^ 1);
        }
        __syncthreads();
    }

#pragma unroll
    for (int i = 0; i < TM; i++) {
        long long m = m0 + tRow * TM + i;
        if (m < P.m) {
#pragma unroll
            for (int j = 0; j < TN; j++) {
                long long n = n0 + tCol * TN + j;
                if (n < P.n) {
                    c[m * P.cRow + n * P.cCol] = (T) acc[i][j];
                }
            }
        }
    }
}

#define PT_MATMUL(NAME, T, U, BM, BN, BK, TM, TN) \
    extern "C" __global__ void __launch_bounds__(PT_BLOCK) NAME(PtMatmul P, T* c, const T* a, const T* b) { \
        pt_matmul_tiled<T, U, BM, BN, BK, TM, TN>(P, c, a, b); \
    }

PT_MATMUL(pt_matmul_f32, float, float, PT_MM32_BM, PT_MM32_BN, 8, 8, 8)
PT_MATMUL(pt_matmul_i32, int, unsigned int, PT_MM32_BM, PT_MM32_BN, 8, 8, 8)
PT_MATMUL(pt_matmul_f64, double, double, PT_MM64_BM, PT_MM64_BN, 8, 4, 4)
PT_MATMUL(pt_matmul_i64, long long, unsigned long long, PT_MM64_BM, PT_MM64_BN, 8, 4, 4)
