// Lets g++ compile the backend's CUDA C kernels (src/main/cuda/*.cu) unchanged into ordinary host functions, so that
// the test driver can run the real kernel sources on the CPU (see emulator.cpp). Included before each .cu file.
//
// Blocks run one at a time, so __shared__ variables become function statics; the threads of a block are fibers
// (emulator.cpp), so __syncthreads switches to the next thread of the block until all have reached it. Math comes
// from the C library instead of CUDA's, which is why the GPU run, not this, proves the kernels' accuracy.
#pragma once
#include <cmath>
#include <math.h>

#define __global__
#define __device__
#define __forceinline__ inline
#define __launch_bounds__(...)
#define __shared__ static

struct PtDim3 {
    unsigned int x, y, z;
};

extern PtDim3 threadIdx;
extern PtDim3 blockIdx;
extern PtDim3 blockDim;
extern PtDim3 gridDim;

void __syncthreads();

// CUDA's rounded arithmetic intrinsics: plain operations here, since the emulator is built with -ffp-contract=off
inline float __fmul_rn(float a, float b) { return a * b; }
inline double __dmul_rn(double a, double b) { return a * b; }
inline float __fadd_rn(float a, float b) { return a + b; }
inline double __dadd_rn(double a, double b) { return a + b; }

template <typename T>
inline bool pt_emulated_isnan(T x) {
    return std::isnan(x);
}
#define isnan pt_emulated_isnan
