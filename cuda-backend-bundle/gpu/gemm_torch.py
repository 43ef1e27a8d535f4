"""The cuBLAS side of the GPU check's GEMM benchmark: C = A @ B for square float32 n through PyTorch on cuda:0.

Prints one tab-separated line per size and math mode, as GemmBenchmark does for the backend:
    torch-fp32 <n> <GFLOP/s> <ms per product>      (TF32 off: the same arithmetic as the backend's kernel)
    torch-tf32 <n> <GFLOP/s> <ms per product>      (tensor cores with TF32 inputs: for scale only)
Timing uses CUDA events around enough products to run about a second after warm-up.
Usage: python3 gemm_torch.py 1024 4096 8192
"""
import sys

import torch


def bench(n, tf32):
    torch.backends.cuda.matmul.allow_tf32 = tf32
    g = torch.Generator(device="cuda").manual_seed(n)
    a = torch.rand(n, n, device="cuda", generator=g) * 2 - 1
    b = torch.rand(n, n, device="cuda", generator=g) * 2 - 1
    c = torch.empty(n, n, device="cuda")
    flops = 2.0 * n * n * n
    reps = int(max(3, min(500, 1.0e12 / flops)))
    for _ in range(2):
        torch.mm(a, b, out=c)
    torch.cuda.synchronize()
    start = torch.cuda.Event(enable_timing=True)
    end = torch.cuda.Event(enable_timing=True)
    start.record()
    for _ in range(reps):
        torch.mm(a, b, out=c)
    end.record()
    torch.cuda.synchronize()
    seconds = start.elapsed_time(end) / 1e3 / reps
    return flops / seconds / 1e9, seconds * 1e3


def main():
    if not torch.cuda.is_available():
        print("torch\tunavailable\tno CUDA device visible to PyTorch " + torch.__version__)
        sys.exit(2)
    print("torch\tversion\t%s\tcuda %s\t%s" % (torch.__version__, torch.version.cuda, torch.cuda.get_device_name(0)))
    for arg in sys.argv[1:]:
        n = int(arg)
        for tf32 in (False, True):
            gflops, ms = bench(n, tf32)
            print("torch-%s\t%d\t%.1f\t%.3f" % ("tf32" if tf32 else "fp32", n, gflops, ms))
    sys.stdout.flush()


if __name__ == "__main__":
    main()
