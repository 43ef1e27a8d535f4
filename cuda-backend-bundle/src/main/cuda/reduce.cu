// Reductions over the trailing dimensions (PtReduction), as org.plugtorch.spi.ReduceOp defines them.
// A block of PT_BLOCK threads is TY rows of TX threads (blockDim.x = TX, a power of two chosen by the host
// from the reduced size): each row reduces one destination element, its TX threads striding over the reduced
// elements and then combining through shared memory. Every combination below is associative and
// commutative (first index wins ties, NaN wins over numbers), so the result does not depend on the order.
#include "plugtorch.cuh"

template <typename A>
struct PtPartial {
    A value;
    long long index; // ARGMAX/ARGMIN: row-major position in the reduced dims; -1 when nothing seen
};

template <typename A> __device__ __forceinline__ bool pt_isnan(A x) { return false; }
template <> __device__ __forceinline__ bool pt_isnan<float>(float x) { return isnan(x); }
template <> __device__ __forceinline__ bool pt_isnan<double>(double x) { return isnan(x); }

template <typename A>
__device__ __forceinline__ PtPartial<A> pt_identity(int op) {
    PtPartial<A> p;
    p.value = (A) (op == PT_REDUCE_PROD ? 1 : 0);
    p.index = -1;
    return p;
}

// T is the element type: values are compared as T, because integer accumulators are unsigned (for wrap-around sums)
// and would order negative numbers after positive ones
template <typename T, typename A>
__device__ __forceinline__ PtPartial<A> pt_combine(int op, PtPartial<A> x, PtPartial<A> y) {
    if (op == PT_REDUCE_SUM) {
        x.value = x.value + y.value;
        return x;
    }
    if (op == PT_REDUCE_PROD) {
        x.value = x.value * y.value;
        return x;
    }
    if (y.index < 0) {
        return x;
    }
    if (x.index < 0) {
        return y;
    }
    bool xn = pt_isnan(x.value);
    bool yn = pt_isnan(y.value);
    if (xn || yn) {
        return xn && (!yn || x.index < y.index) ? x : y; // the first NaN
    }
    T xv = (T) x.value;
    T yv = (T) y.value;
    bool max = op == PT_REDUCE_MAX || op == PT_REDUCE_ARGMAX;
    bool better = max ? yv > xv : yv < xv;
    return better || (yv == xv && y.index < x.index) ? y : x;
}

// A is the accumulator: double for both float types (a double sum of floats leaves only the final rounding, so
// float32 results agree with the CPU backend's and the reference's), the unsigned twin for integers (sums and
// products wrap around), and unsigned long long for bool (whose sum is "any" and product "all" once stored != 0).
template <typename T, typename A>
__device__ __forceinline__ A pt_load(const T* p) {
    return (A) *p;
}
template <>
__device__ __forceinline__ unsigned long long pt_load<pt_bool, unsigned long long>(const pt_bool* p) {
    return *p != 0;
}

template <typename T, typename A>
__device__ __forceinline__ T pt_store(A x) {
    return (T) x;
}
template <>
__device__ __forceinline__ pt_bool pt_store<pt_bool, unsigned long long>(unsigned long long x) {
    return x != 0;
}

template <typename T, typename A>
__device__ void pt_reduce(const PtReduction& R, int op, void* dst, const T* src) {
    __shared__ A values[PT_BLOCK];
    __shared__ long long indices[PT_BLOCK];
    const int tx = threadIdx.x;
    const int ty = threadIdx.y;
    const int width = blockDim.x;
    const int rows = blockDim.y;
    const int slot = ty * width + tx;
    const bool arg = op == PT_REDUCE_ARGMAX || op == PT_REDUCE_ARGMIN;
    // the loop bound is the same for the whole block, so every thread reaches every __syncthreads
    for (long long first = (long long) blockIdx.x * rows; first < R.outputs; first += (long long) gridDim.x * rows) {
        long long o = first + ty;
        PtPartial<A> acc = pt_identity<A>(op);
        if (o < R.outputs) {
            const T* base = src + R.srcOffset + pt_offset_of(o, R.outerRank, R.outerShape, R.srcOuterStride);
            for (long long j = tx; j < R.inner; j += width) {
                PtPartial<A> next;
                next.value = pt_load<T, A>(base + pt_offset_of(j, R.innerRank, R.innerShape, R.srcInnerStride));
                next.index = j;
                acc = pt_combine<T, A>(op, acc, next);
            }
        }
        values[slot] = acc.value;
        indices[slot] = acc.index;
        __syncthreads();
        for (int half = width / 2; half > 0; half /= 2) {
            if (tx < half) {
                PtPartial<A> mine = {values[slot], indices[slot]};
                PtPartial<A> other = {values[slot + half], indices[slot + half]};
                PtPartial<A> c = pt_combine<T, A>(op, mine, other);
                values[slot] = c.value;
                indices[slot] = c.index;
            }
            __syncthreads();
        }
        if (tx == 0 && o < R.outputs) {
            long long at = R.dstOffset + pt_offset_of(o, R.outerRank, R.outerShape, R.dstStride);
            if (arg) {
                ((long long*) dst)[at] = indices[slot];
            } else {
                ((T*) dst)[at] = pt_store<T, A>(values[slot]);
            }
        }
        __syncthreads(); // the next round reuses the shared slots
    }
}

#define PT_REDUCE(NAME, T, A) \
    extern "C" __global__ void __launch_bounds__(PT_BLOCK) NAME(PtReduction R, int op, void* dst, const T* src) { \
        pt_reduce<T, A>(R, op, dst, src); \
    }

PT_REDUCE(pt_reduce_b8, pt_bool, unsigned long long)
PT_REDUCE(pt_reduce_i32, int, unsigned int)
PT_REDUCE(pt_reduce_i64, long long, unsigned long long)
PT_REDUCE(pt_reduce_f32, float, double)
PT_REDUCE(pt_reduce_f64, double, double)
