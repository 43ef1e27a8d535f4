"""Reads one suite run's results (JMH JSON, PyTorch JSON lines, the hot-swap JSON) and prints the ratio table.

Usage: python3 table.py OUT    (OUT is run-suite.sh's output folder)
Every ratio is "how many times as fast as the reference" (> 1 is faster), computed from two figures of the same run.
"""
import json
import os
import sys

UNIT_MS = {"ns/op": 1e-6, "us/op": 1e-3, "ms/op": 1.0, "s/op": 1e3}
GEMM_SHAPES = {  # name -> (m, n, k)
    "256": (256, 256, 256), "1024": (1024, 1024, 1024), "2048": (2048, 2048, 2048),
    "mlp_fwd": (64, 256, 784), "mlp_dw": (256, 784, 64), "mlp_dx": (64, 784, 256),
}
GEMM_LABEL = {"mlp_fwd": "64x784 @ (256x784)^T", "mlp_dw": "(64x256)^T @ 64x784", "mlp_dx": "64x256 @ 256x784"}
MIB64 = 64 * 1024 * 1024


class Jmh:
    def __init__(self, out):
        self.results = []
        for name in sorted(os.listdir(out)):
            if name.endswith(".json") and name not in ("hotswap.json", "torch_load.json"):
                try:
                    with open(os.path.join(out, name)) as f:
                        self.results += json.load(f)
                except (ValueError, OSError):
                    print(f"warning: {name} is not JMH JSON", file=sys.stderr)

    def ms(self, cls, method, **params):
        """(milliseconds, error) of one benchmark, or None when it did not run."""
        for r in self.results:
            simple = r["benchmark"].rsplit(".", 2)
            if simple[-2] == cls and simple[-1] == method and all(
                    r.get("params", {}).get(k) == str(v) for k, v in params.items()):
                m = r["primaryMetric"]
                unit = UNIT_MS.get(m["scoreUnit"])
                if unit is None:
                    raise ValueError(f"{cls}.{method}: unit {m['scoreUnit']}")
                err = m.get("scoreError")
                return m["score"] * unit, (err * unit if isinstance(err, (int, float)) else float("nan"))
        return None


def pytorch(out):
    rows = []
    path = os.path.join(out, "pytorch.jsonl")
    if os.path.exists(path):
        with open(path) as f:
            rows = [json.loads(line) for line in f if line.startswith("{")]
    return rows


def best(rows, key, sub, configs=None):
    """The fastest PyTorch figure (microseconds) over the thread configurations, and which it was."""
    found = [(r[key][sub], r["config"]) for r in rows
             if key in r and sub in r[key] and (configs is None or r["config"] in configs)]
    return min(found) if found else None


def fmt_ms(v):
    if v is None:
        return "not run"
    ms, err = v
    if ms >= 100:
        return f"{ms:.0f} ± {err:.0f} ms"
    if ms >= 1:
        return f"{ms:.2f} ± {err:.2f} ms"
    return f"{ms * 1e3:.1f} ± {err * 1e3:.1f} µs"


def num(value, spec):
    """A number in a table cell, or a dash where it could not be computed."""
    return "–" if value is None else format(value, spec)


def rate_rows(jmh, cls, ops, add):
    """Rows of bytes-per-second against the same benchmark's arraycopy of the same run (goal >= 0.8 of its rate)."""
    for method, moved, label in ops:
        r = jmh.ms(cls, method)
        rate = moved / (r[0] * 1e6) if r else None
        base = jmh.ms(cls, "arraycopy")
        base_rate = ops[0][1] / (base[0] * 1e6) if base else None
        ratio = rate / base_rate if rate and base_rate else None
        add(f"| {label} | {moved / 2**20:.0f} MiB | {fmt_ms(r)} | {num(rate, '.2f')} | {num(ratio, '.2f')} | "
            f"{verdict(ratio, 0.8) if method != 'arraycopy' else 'reference'} |")


MANY_OPS = [("save", "Checkpoints.save(module)"),
            ("loadStateDictFromFile", "Checkpoints.loadStateDict(module, file)"),
            ("loadStateDictFromMap", "module.loadStateDict(stateDict)"),
            ("load", "Checkpoints.load(file)")]


def many_rows(jmh, add):
    """One row per operation: time at each count, and the time per parameter (flat when the cost is linear)."""
    counts = sorted({int(r["params"]["parameters"]) for r in jmh.results
                     if r["benchmark"].endswith("ManyTensorsBenchmark." + MANY_OPS[0][0]) and "params" in r})
    if not counts:
        add("| many tensors | not run |")
        return
    add("| operation | " + " | ".join(f"n = {n:,}" for n in counts) + " | µs per parameter, smallest to largest n |")
    add("| --- | " + " | ".join("---:" for _ in counts) + " | --- |")
    for method, label in MANY_OPS:
        cells, per = [], []
        for n in counts:
            r = jmh.ms("ManyTensorsBenchmark", method, parameters=n)
            cells.append(fmt_ms(r))
            per.append(f"{r[0] * 1e3 / n:.1f}" if r else "–")
        add(f"| {label} | " + " | ".join(cells) + f" | {' → '.join(per)} |")


def verdict(ratio, goal):
    if ratio is None:
        return "not measured"
    return f"{'met' if ratio >= goal else 'NOT met'} (goal ≥ {goal:g})"


def main(out):
    jmh = Jmh(out)
    torch_rows = pytorch(out)
    lines = []
    add = lines.append
    peak = jmh.ms("PeakBenchmark", "fma")
    # @Threads(2), one FLOP per operation: each thread's time per FLOP, so two threads do 2 / ns FLOP per ns
    peak_gflops = (2.0 / (peak[0] * 1e6)) if peak else None
    if os.path.exists(os.path.join(out, "java.txt")):
        add(f"Java: {open(os.path.join(out, 'java.txt')).read().strip()}")
    blas = {r.get("blas") for r in torch_rows if "blas" in r}
    add(f"PyTorch BLAS: {', '.join(sorted(b for b in blas if b)) or 'unknown'}")
    # No product can beat the hardware, so the fastest product measured in this run is a floor for the peak too
    fastest = max([2.0 * m * n * k / (r["gemm"][shape] * 1e3) for r in torch_rows if "gemm" in r
                   for shape, (m, n, k) in GEMM_SHAPES.items() if shape in r["gemm"]] or [0.0])
    if peak_gflops:
        add(f"FP32 peak measured in this run (Vector API FMA chains, 2 threads): {peak_gflops:.1f} GFLOP/s")
    if fastest > (peak_gflops or 0):
        add(f"PyTorch's fastest product ran at {fastest:.1f} GFLOP/s, above that, so the share of peak below uses "
            f"{fastest:.1f} as the machine's peak (a lower bound for it)")
        peak_gflops = fastest
    add("")
    add("### CPU GEMM (float32, 2 threads)")
    add("")
    add("| product | Plugtorch, Vector API | Plugtorch, scalar path | PyTorch + OpenBLAS, best config | "
        "speed vs PyTorch | share of peak | goal |")
    add("| --- | ---: | ---: | ---: | ---: | ---: | --- |")
    for shape, (m, n, k) in GEMM_SHAPES.items():
        vec = jmh.ms("GemmBenchmark", "matmul", shape=shape, path="vector")
        sca = jmh.ms("GemmBenchmark", "matmul", shape=shape, path="scalar")
        ref = best(torch_rows, "gemm", shape, ("defaults", "two-threads-passive"))
        flop = 2.0 * m * n * k
        gf = (lambda v: f" ({flop / (v[0] * 1e6):.1f} GFLOP/s)" if v else "")
        ratio = (ref[0] / 1e3) / vec[0] if vec and ref else None
        share = flop / (vec[0] * 1e6) / peak_gflops if vec and peak_gflops else None
        ref_text = f"{ref[0] / 1e3:.3f} ms ({flop / (ref[0] * 1e3):.1f} GFLOP/s, {ref[1]})" if ref else "not run"
        goals = verdict(ratio, 1.0) + ("; " + verdict(share, 0.8) if share is not None else "")
        add(f"| {GEMM_LABEL.get(shape, f'n = {shape}')} | {fmt_ms(vec)}{gf(vec)} | {fmt_ms(sca)}{gf(sca)} | {ref_text} "
            f"| {num(ratio, '.2f')}× | {num(share, '.0%')} | {goals} |")

    add("")
    add("### Element-wise ops and reductions (float32, 16M elements) against System.arraycopy")
    add("")
    add("| op | bytes read and written | time | GB/s | share of arraycopy's GB/s | goal |")
    add("| --- | ---: | ---: | ---: | ---: | --- |")
    rate_rows(jmh, "BandwidthBenchmark", BANDWIDTH_OPS, add)

    add("")
    add("### Runtime overhead against PyTorch eager (best thread configuration)")
    add("")
    add("| call | Plugtorch | PyTorch | PyTorch time / Plugtorch time | goal |")
    add("| --- | ---: | ---: | ---: | --- |")
    for method, label, goal in (("seedForward", "seed TestModel forward, 2x3 input, grad mode", 10.0),
                                ("seedForwardNoGrad", "same, no-grad", None),
                                ("mlpStep", "MLP 784-256-10 training step, batch 64, SGD", 1.0)):
        r = jmh.ms("ModelBenchmark", method)
        ref = best(torch_rows, "model", method)
        ratio = (ref[0] / 1e3) / r[0] if r and ref else None
        ref_text = f"{ref[0]:.1f} µs ({ref[1]})" if ref else "not run"
        add(f"| {label} | {fmt_ms(r)} | {ref_text} | {'%.2f×' % ratio if ratio else '–'} | "
            f"{verdict(ratio, goal) if goal else 'reported'} |")

    add("")
    add("### Moves between devices (opencl:0 on PoCL) against System.arraycopy of the same bytes")
    add("")
    add("| move | bytes moved | time | GB/s | share of arraycopy's GB/s | goal |")
    add("| --- | ---: | ---: | ---: | ---: | --- |")
    rate_rows(jmh, "MoveBenchmark", MOVE_OPS, add)

    add("")
    add("### Checkpoint load (~200 MB float32 safetensors, page cache warm)")
    add("")
    add("| what | time | GB/s | ratio | goal |")
    add("| --- | ---: | ---: | ---: | --- |")
    st_bytes = os.path.getsize(os.path.join(out, "checkpoint", "bench.safetensors")) \
        if os.path.exists(os.path.join(out, "checkpoint", "bench.safetensors")) else None
    plain = jmh.ms("SafetensorsLoadBenchmark", "plainRead")
    load = jmh.ms("SafetensorsLoadBenchmark", "safetensorsLoad")
    tl = None
    if os.path.exists(os.path.join(out, "torch_load.json")):
        with open(os.path.join(out, "torch_load.json")) as f:
            text = f.read().strip()
            tl = json.loads(text.splitlines()[-1]) if text else None
    if st_bytes and plain and load:
        pr, lr = st_bytes / (plain[0] * 1e6), st_bytes / (load[0] * 1e6)
        add(f"| plain FileChannel read (reference) | {fmt_ms(plain)} | {pr:.2f} | 1.00 | |")
        add(f"| Plugtorch Checkpoints.load into cpu tensors | {fmt_ms(load)} | {lr:.2f} | {lr / pr:.2f} of the plain "
            f"read | {verdict(lr / pr, 0.8)} |")
        if tl:
            tr = tl["bytesPt"] / (tl["torchLoadMs"] * 1e6)
            add(f"| torch.load of the same state dict | {tl['torchLoadMs']:.0f} ms | {tr:.2f} | Plugtorch "
                f"{lr / tr:.2f}× as fast | {verdict(lr / tr, 1.0)} |")
    else:
        add("| checkpoint load | not run | | | |")

    add("")
    add("### Many tensors (module of n parameters: n / 2 Linear(4, 4), saved and loaded as safetensors)")
    add("")
    many_rows(jmh, add)

    add("")
    add("### Hot swap (launcher's Felix, reported)")
    add("")
    hs_path = os.path.join(out, "hotswap.json")
    if os.path.exists(hs_path):
        with open(hs_path) as f:
            hs = json.load(f)
        add("| figure | median | all runs |")
        add("| --- | ---: | --- |")
        for key, values in hs.items():
            if isinstance(values, list) and values:
                med = sorted(values)[len(values) // 2]
                add(f"| {key} | {med:.1f} | {', '.join(f'{v:.1f}' for v in values)} |")
            else:
                add(f"| {key} | {values} | |")
    else:
        add("not run")
    print("\n".join(lines))


# (JMH method, bytes read + written per call, label); 16M float32 = 64 MiB per operand
BANDWIDTH_OPS = [
    ("arraycopy", 2 * MIB64, "System.arraycopy, 64 MiB"),
    ("add", 3 * MIB64, "a.add(b)"),
    ("addInPlace", 3 * MIB64, "a.add_(b)"),
    ("mulScalar", 2 * MIB64, "a.mul(2.5)"),
    ("addRow", 2 * MIB64, "a.add(row), a row broadcast over 4096 rows"),
    ("relu", 2 * MIB64, "a.relu()"),
    ("sum", MIB64, "a.sum()"),
    ("sumDim", MIB64, "a.sum(-1) over [4096, 4096]"),
    ("contiguous", 2 * MIB64, "a.t().contiguous()"),
    ("castDouble", 3 * MIB64, "a.to(FLOAT64)"),
    ("castInt", 2 * MIB64, "a.to(INT32)"),
    ("cloneTensor", 2 * MIB64, "a.clone()"),
]
# a move reads and writes 64 MiB once, like the arraycopy it is compared with
MOVE_OPS = [
    ("arraycopy", MIB64, "System.arraycopy, 64 MiB"),
    ("toDevice", MIB64, "cpu tensor .to(opencl:0)"),
    ("toHost", MIB64, "opencl:0 tensor .to(cpu)"),
    ("evacuate", MIB64, "evacuation of opencl:0's tensors to the host"),
]

if __name__ == "__main__":
    main(sys.argv[1])
