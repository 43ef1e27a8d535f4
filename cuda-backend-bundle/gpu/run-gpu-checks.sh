#!/usr/bin/env bash
# The GPU check. Run it from the repository root on a Linux x86-64 machine with an NVIDIA GPU and its driver; it needs
# no Java and no network, only the kit that build-gpu-kit.sh made (cuda-backend-bundle/target/gpu-kit, carried along
# with the working tree) and, for the cuBLAS comparison, python3 with PyTorch. In one run it
#   1. prints the machine: GPU, driver, libcuda, PyTorch;
#   2. runs the backend test kit and the tensor test kit on cuda:0, with the GPU-only tests (JUnit's console launcher);
#   3. runs the seed demo on cuda:0 (and on cpu, to compare the numbers);
#   4. times float32 GEMM at n = 1024, 4096, 8192 through the backend's tiled kernel and through PyTorch (cuBLAS);
#   5. prints a table of all that, last.
# Outputs go to $OUT (the device tool's output folder) or /tmp/plugtorch-gpu-check. Exit status: 0 when the kits passed
# and the products were right; 1 otherwise; 2 when the kit is missing. Each step has a time limit (env: *_TIMEOUT).
# PLUGTORCH_JAVA_OPTS reaches every java command (-Dplugtorch.cuda.sync=true pins an asynchronous error to its kernel).
set -uo pipefail
cd "$(dirname "$0")/../.."
kit="${GPU_KIT:-cuda-backend-bundle/target/gpu-kit}"
out="${OUT:-/tmp/plugtorch-gpu-check}"
sizes="${GEMM_SIZES:-1024 4096 8192}"
mkdir -p "$out"
step() { echo; echo "=== $*"; }

if [ ! -f "$kit/jre.tar.gz" ]; then
  echo "run-gpu-checks: no kit at $kit; build it with cuda-backend-bundle/gpu/build-gpu-kit.sh where there is a JDK"
  exit 2
fi
cat "$kit/BUILD.txt"

step "machine"
uname -srm
nvidia-smi --query-gpu=index,name,driver_version,memory.total,compute_cap --format=csv,noheader 2>&1 | tee "$out/gpus.txt"
(ldconfig -p 2>/dev/null | grep 'libcuda.so.1' || echo "libcuda.so.1 not in the linker cache") | head -n 2
python3 -c 'import torch; print("torch", torch.__version__, "cuda", torch.version.cuda, "available", torch.cuda.is_available())' \
  2>&1 | tail -n 1 | tee "$out/torch.txt"

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
tar xzf "$kit/jre.tar.gz" -C "$work"
export JAVA_HOME="$work/jre"
java="$JAVA_HOME/bin/java"
flags="--enable-native-access=ALL-UNNAMED ${PLUGTORCH_JAVA_OPTS:-}"
"$java" --sun-misc-unsafe-memory-access=allow -version >/dev/null 2>&1 && flags="$flags --sun-misc-unsafe-memory-access=allow"
cp="$kit/lib/*:$kit/test-classes"
"$java" -version 2>&1 | head -n 1

step "test kits on cuda:0 (JUnit console launcher)"
timeout "${TCK_TIMEOUT:-300}" "$java" $flags -cp "$cp" org.junit.platform.console.ConsoleLauncher execute \
  --disable-banner --details=summary --reports-dir="$out/junit" \
  --select-class=org.plugtorch.cuda.CudaBackendOnThisMachineTest \
  --select-class=org.plugtorch.cuda.CudaGpuTest \
  --select-class=org.plugtorch.cuda.CudaBackendTckTest \
  --select-class=org.plugtorch.cuda.CudaTensorTckTest > "$out/tck.txt" 2>&1
tck_rc=$?
tail -n 40 "$out/tck.txt"
count() { grep -E "^\[ +[0-9]+ $1 +\]" "$out/tck.txt" | grep -oE '[0-9]+' | head -n 1; }
tck="$(count 'tests successful') passed, $(count 'tests failed') failed, $(count 'tests aborted') aborted, $(count 'containers aborted') classes aborted (no device), $(count 'containers failed') classes failed (rc $tck_rc)"

step "seed demo"
launcher=""
for candidate in launcher/target/plugtorch/bin/plugtorch "$kit/plugtorch/bin/plugtorch"; do
  [ -x "$candidate" ] && launcher="$candidate" && break
done
seed="skipped: no launcher distribution"
if [ -n "$launcher" ]; then
  timeout "${SEED_TIMEOUT:-60}" "$launcher" demo seed --device cuda:0 > "$out/seed-cuda.txt" 2>&1
  seed_rc=$?
  timeout "${SEED_TIMEOUT:-60}" "$launcher" demo seed --device cpu > "$out/seed-cpu.txt" 2>&1
  cat "$out/seed-cuda.txt"
  # the numbers must not depend on the device: compare the outputs with device names blanked out
  if diff <(grep -v '^\[plugtorch\]' "$out/seed-cpu.txt" | sed 's/cuda:0/DEVICE/g; s/cpu/DEVICE/g') \
          <(grep -v '^\[plugtorch\]' "$out/seed-cuda.txt" | sed 's/cuda:0/DEVICE/g; s/cpu/DEVICE/g') > "$out/seed-diff.txt"; then
    same="same numbers as on cpu"
  else
    same="differs from cpu: see seed-diff.txt"
  fi
  seed="rc $seed_rc, $same"
fi

step "GEMM float32: the backend's tiled kernel, then PyTorch (cuBLAS)"
timeout "${GEMM_TIMEOUT:-120}" "$java" $flags -cp "$cp" org.plugtorch.cuda.GemmBenchmark cuda:0 $sizes \
  > "$out/gemm-plugtorch.tsv" 2>&1
gemm_rc=$?
cat "$out/gemm-plugtorch.tsv"
timeout "${GEMM_TIMEOUT:-120}" python3 cuda-backend-bundle/gpu/gemm_torch.py $sizes > "$out/gemm-torch.tsv" 2>&1
torch_rc=$?
tail -n 8 "$out/gemm-torch.tsv"

step "summary ($(date -u +%Y-%m-%d), $(head -n 1 "$out/gpus.txt"))"
printf '%-12s %s\n' "test kits" "$tck" "seed demo" "$seed" "GEMM java" "rc $gemm_rc" "GEMM torch" "rc $torch_rc"
echo
printf '%-6s %14s %16s %8s %16s %14s\n' "n" "plugtorch" "cuBLAS fp32" "ratio" "cuBLAS tf32" "max err/bound"
for n in $sizes; do
  ours=$(awk -v n="$n" '$1=="gemm" && $2==n {print $3}' "$out/gemm-plugtorch.tsv")
  err=$(awk -v n="$n" '$1=="gemm" && $2==n {print $5}' "$out/gemm-plugtorch.tsv")
  fp32=$(awk -v n="$n" '$1=="torch-fp32" && $2==n {print $3}' "$out/gemm-torch.tsv")
  tf32=$(awk -v n="$n" '$1=="torch-tf32" && $2==n {print $3}' "$out/gemm-torch.tsv")
  ratio=$(awk -v a="${ours:-0}" -v b="${fp32:-0}" 'BEGIN { if (a > 0 && b > 0) printf "%.2f", a / b; else print "-" }')
  printf '%-6s %14s %16s %8s %16s %14s\n' "$n" "${ours:--}" "${fp32:--}" "$ratio" "${tf32:--}" "${err:--}"
done
echo "(GFLOP/s; ratio = plugtorch / cuBLAS fp32; outputs in $out)"
[ "$tck_rc" -eq 0 ] && [ "$gemm_rc" -eq 0 ]
exit $?
