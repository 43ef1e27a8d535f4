"""PyTorch's side of the GEMM benchmark: the same float32 products as GemmBenchmark, timed with torch.matmul.

Usage: python3 bench_gemm.py   (threads and BLAS come from the environment, see run-suite.sh)
Prints one JSON line: {"config": ..., "blas": ..., "gemm": {shape: microseconds per product}}.
"""
import json
import os
import statistics
import sys
import time

import torch

# name -> (lhs, rhs) makers; the transposes are views, as F.linear and autograd hand them to matmul
SHAPES = {
    "256": lambda: (torch.randn(256, 256), torch.randn(256, 256)),
    "1024": lambda: (torch.randn(1024, 1024), torch.randn(1024, 1024)),
    "2048": lambda: (torch.randn(2048, 2048), torch.randn(2048, 2048)),
    # Linear(784, 256) at batch 64: forward x @ W.t(), weight gradient dY.t() @ x, input gradient dY @ W
    "mlp_fwd": lambda: (torch.randn(64, 784), torch.randn(256, 784).t()),
    "mlp_dw": lambda: (torch.randn(64, 256).t(), torch.randn(64, 784)),
    "mlp_dx": lambda: (torch.randn(64, 256), torch.randn(256, 784)),
}


def blas_library():
    with open("/proc/self/maps") as maps:
        libs = {line.split()[-1] for line in maps if "blas" in line.split()[-1]}
    return ", ".join(sorted(lib.rsplit("/", 2)[-2] + "/" + lib.rsplit("/", 1)[-1] for lib in libs)) or "none"


def microseconds(a, b, target=0.25, rounds=7):
    for _ in range(3):
        torch.matmul(a, b)
    t0 = time.perf_counter()
    torch.matmul(a, b)
    once = max(time.perf_counter() - t0, 1e-6)
    reps = max(1, int(target / once))
    samples = []
    for _ in range(rounds):
        t0 = time.perf_counter()
        for _ in range(reps):
            torch.matmul(a, b)
        samples.append((time.perf_counter() - t0) / reps)
    return statistics.median(samples) * 1e6


def main():
    if os.environ.get("PLUGTORCH_TORCH_THREADS"):
        torch.set_num_threads(int(os.environ["PLUGTORCH_TORCH_THREADS"]))
    torch.manual_seed(0)
    result = {}
    for name, make in SHAPES.items():
        a, b = make()
        result[name] = microseconds(a, b)
    print(json.dumps({"config": sys.argv[1] if len(sys.argv) > 1 else "", "torch_threads": torch.get_num_threads(),
                      "blas": blas_library(), "gemm": result}))


if __name__ == "__main__":
    main()
