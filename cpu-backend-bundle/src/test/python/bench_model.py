"""PyTorch's side of ModelBenchmark (cpu-backend-bundle/src/test/java/org/plugtorch/cpu/bench/ModelBenchmark.java).

Prints {"seedForward": us, "seedForwardNoGrad": us, "mlpStep": us}: the median over timed batches, after warm-up,
of the microseconds per call of the same three workloads (same model, shapes, loss, optimizer, and
zero_grad(set_to_none=True)). Run it with the interpreter that has torch (on this project's machines
/usr/bin/python3); torch's own thread settings apply (set OMP_NUM_THREADS / torch.set_num_threads outside to compare
configurations), and they are printed to stderr.
"""
import json
import os
import statistics
import sys
import time

import torch
from torch import nn


class TestModel(nn.Module):
    """The seed's first program."""

    def __init__(self):
        super().__init__()
        self.linear = nn.Linear(3, 3)
        self.parameter1 = nn.Parameter(torch.randn(3))
        self.register_parameter("parameter2", nn.Parameter(torch.randn(3)))

    def forward(self, x):
        return self.linear(x) + self.parameter1 + self.parameter2


def per_call_us(fn, calls, batches, warmup_s=2.0):
    end = time.perf_counter() + warmup_s
    while time.perf_counter() < end:
        fn()
    times = []
    for _ in range(batches):
        t0 = time.perf_counter()
        for _ in range(calls):
            fn()
        times.append((time.perf_counter() - t0) * 1e6 / calls)
    return statistics.median(times)


def main():
    # run-suite.sh compares thread configurations through this variable (OpenBLAS's own comes from its environment)
    if os.environ.get("PLUGTORCH_TORCH_THREADS"):
        torch.set_num_threads(int(os.environ["PLUGTORCH_TORCH_THREADS"]))
    torch.manual_seed(0)
    seed = TestModel()
    x = torch.randn(2, 3)

    def seed_forward():
        return seed(x)

    def seed_forward_no_grad():
        with torch.no_grad():
            return seed(x)

    mlp = nn.Sequential(nn.Linear(784, 256), nn.ReLU(), nn.Linear(256, 10))
    optimizer = torch.optim.SGD(mlp.parameters(), lr=0.01)
    loss = nn.CrossEntropyLoss()
    batch = torch.randn(64, 784)
    labels = torch.arange(64) % 10

    def mlp_step():
        optimizer.zero_grad(set_to_none=True)
        out = loss(mlp(batch), labels)
        out.backward()
        optimizer.step()
        return out

    blas = [item.strip() for item in torch.__config__.show().replace("\n", ",").split(",") if "BLAS_INFO" in item]
    print("torch %s, %d intra-op threads, %s (the BLAS library loaded decides: Debian's libblas3 or OpenBLAS)"
          % (torch.__version__, torch.get_num_threads(), blas), file=sys.stderr)
    result = {
        "seedForward": per_call_us(seed_forward, 2000, 15),
        "seedForwardNoGrad": per_call_us(seed_forward_no_grad, 2000, 15),
        "mlpStep": per_call_us(mlp_step, 20, 15),
    }
    print(json.dumps({"config": sys.argv[1] if len(sys.argv) > 1 else "", "torch_threads": torch.get_num_threads(),
                      "model": result}))


if __name__ == "__main__":
    main()
