#!/usr/bin/env bash
# The performance suite (issue 8): every Java benchmark (JMH) and its PyTorch counterpart, back to back in one run,
# then one table of ratios against the goals. Run from the repository root:
#
#   bash launcher/bench/run-suite.sh [OUT]        (OUT defaults to target/bench-suite)
#
# As root on Debian it first installs what PyTorch's side needs (python3-torch, and libopenblas0-pthread, which
# switches PyTorch's BLAS from the slow reference BLAS to OpenBLAS through Debian's alternatives).
# BENCH_QUICK=1 runs every benchmark briefly (one fork, short iterations) to check the wiring, not to quote.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
out="${1:-$root/target/bench-suite}"
here="$root/launcher/bench"
java="${JAVA:-java}"
mkdir -p "$out"
# the JDK's signal chaining for every JVM below, as bin/plugtorch does: PoCL's in-process LLVM must not take the
# JVM's signal handlers (docs/opencl.md)
jsig="$("$java" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.home = //p')/lib/libjsig.so"
[ -f "$jsig" ] && export LD_PRELOAD="$jsig${LD_PRELOAD:+:$LD_PRELOAD}"
cd "$root"

# --- PyTorch with OpenBLAS -----------------------------------------------------------------------------------
need=()
dpkg -s python3-torch >/dev/null 2>&1 || need+=(python3-torch python3-numpy)
dpkg -s libopenblas0-pthread >/dev/null 2>&1 || need+=(libopenblas0-pthread)
if [ ${#need[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    echo "installing ${need[*]}"
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${need[@]}" >/dev/null \
      || { apt-get update -q >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${need[@]}" >/dev/null; }
  else
    echo "warning: ${need[*]} missing and not root: PyTorch's figures will be without OpenBLAS or missing" >&2
  fi
fi
python=""
for candidate in "${PLUGTORCH_PYTHON:-}" /usr/bin/python3 python3; do
  if [ -n "$candidate" ] && "$candidate" -c "import torch, numpy" 2>/dev/null; then python="$candidate"; break; fi
done

# --- build, and each module's test class path ----------------------------------------------------------------
mvn -B -q -DskipProvision=true -DskipTests package dependency:build-classpath -Dmdep.includeScope=test \
  -Dmdep.outputFile=target/bench.classpath
classpath() { echo "$1/target/test-classes:$1/target/classes:$(cat "$1/target/bench.classpath")"; }

if [ "${BENCH_QUICK:-0}" = 1 ]; then
  jmh_opts=(-f 1 -wi 1 -w 1s -i 2 -r 1s)
else
  jmh_opts=(-f 2 -wi 3 -w 1s -i 5 -r 1s)
fi
jvm=(--add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED)
jmh() { # module, output name, regex, extra JMH options...
  local module="$1" name="$2" regex="$3"; shift 3
  echo "== JMH $module: $regex"
  "$java" "${jvm[@]}" -cp "$(classpath "$module")" org.openjdk.jmh.Main "$regex" "${jmh_opts[@]}" \
    -rf json -rff "$out/$name.json" "$@" | tail -n 40 || echo "warning: $regex failed; its rows will read 'not run'" >&2
}

"$java" -version 2>&1 | head -1 > "$out/java.txt"
jmh cpu-backend-bundle cpu-peak 'org.plugtorch.cpu.bench.PeakBenchmark'
jmh cpu-backend-bundle cpu-gemm 'org.plugtorch.cpu.bench.GemmBenchmark'
jmh cpu-backend-bundle cpu-bandwidth 'org.plugtorch.cpu.bench.BandwidthBenchmark'
jmh cpu-backend-bundle cpu-model 'org.plugtorch.cpu.bench.ModelBenchmark'
jmh opencl-backend-bundle opencl-moves 'org.plugtorch.opencl.bench.MoveBenchmark'
mkdir -p "$out/checkpoint"
jmh api-bundle checkpoint 'org.plugtorch.io.SafetensorsLoadBenchmark' -p dir="$out/checkpoint"
jmh api-bundle many-tensors 'org.plugtorch.io.ManyTensorsBenchmark' -p dir="$out/checkpoint"
echo "== hot swap"
bash "$here/hot-swap.sh" "$out/hotswap.json" || echo "warning: the hot-swap benchmark failed" >&2

# --- PyTorch: each script under three thread configurations; the table takes the best per figure ---------------
if [ -n "$python" ]; then
  : > "$out/pytorch.jsonl"
  for config in defaults one-thread two-threads-passive; do
    case "$config" in
      defaults) env=() ;;  # torch's own default here is 1 thread; OpenBLAS takes both cores
      one-thread) env=(OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1 PLUGTORCH_TORCH_THREADS=1) ;;
      two-threads-passive) env=(OMP_WAIT_POLICY=PASSIVE OPENBLAS_NUM_THREADS=2 PLUGTORCH_TORCH_THREADS=2) ;;
    esac
    echo "== PyTorch, $config"
    env "${env[@]}" "$python" "$here/bench_gemm.py" "$config" | grep '^{' >> "$out/pytorch.jsonl"
    env "${env[@]}" "$python" cpu-backend-bundle/src/test/python/bench_model.py "$config" | grep '^{' >> "$out/pytorch.jsonl"
  done
  "$python" api-bundle/src/test/resources/fixtures/checkpoints/bench_torch_load.py "$out/checkpoint" \
    | tee "$out/torch_load.txt" | grep '^{' > "$out/torch_load.json" || true
else
  echo "no python3 with torch: PyTorch's side not measured" >&2
fi

"${python:-python3}" "$here/table.py" "$out" | tee "$out/table.md"
