#!/usr/bin/env bash
# Regenerates the committed PTX (src/main/resources/org/plugtorch/cuda/ptx/NAME.ptx) from each NAME.cu here.
# Run it after changing any .cu or .cuh file; PtxSourcesTest fails until you do.
#
# Each PTX file starts with the SHA-256 of its sources (the .cu file, then every .cuh here in name order), which
# is what that test recomputes. The PTX is generated for compute_75 (the lowest target nvcc 13 accepts, so one
# file serves every GPU from Turing on) and its ISA header is lowered from nvcc 13's 9.0 to 8.0, the ISA of
# CUDA 12.0: drivers from 12.0 (R525) on load it, not only 13.x ones. ptxas checks the lowered file against
# ISA 8.0 for sm_75 and sm_90 below, and the tests do again (docs/gpu.md, "PTX").
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
out="$here/../resources/org/plugtorch/cuda/ptx"
mkdir -p "$out"
command -v nvcc >/dev/null || { echo "regenerate-ptx: nvcc is not on the PATH" >&2; exit 1; }
version="$(nvcc --version | grep -o "release [0-9.]*, V[0-9.]*")"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
for cu in "$here"/*.cu; do
  name="$(basename "$cu" .cu)"
  hash="$(cat "$cu" $(ls "$here"/*.cuh | LC_ALL=C sort) | sha256sum | cut -d ' ' -f 1)"
  nvcc -ptx -arch=compute_75 -std=c++17 -o "$tmp/$name.ptx" "$cu"
  grep -q '^\.version 9\.0$' "$tmp/$name.ptx" || { echo "regenerate-ptx: expected PTX ISA 9.0 from $version" >&2; exit 1; }
  {
    echo "// plugtorch-source-sha256: $hash"
    echo "// generated from $name.cu by regenerate-ptx.sh: nvcc -ptx -arch=compute_75 -std=c++17 ($version),"
    echo "// PTX ISA lowered from 9.0 to 8.0 so that CUDA 12.x drivers load it too"
    sed -e 's/^\.version 9\.0$/.version 8.0/' "$tmp/$name.ptx"
  } > "$out/$name.ptx"
  for sm in sm_75 sm_90; do
    ptxas -arch="$sm" "$out/$name.ptx" -o /dev/null
  done
  echo "regenerate-ptx: $name.ptx ($(grep -c '^\.visible \.entry' "$out/$name.ptx") kernels, sha256 ${hash:0:12}...)"
done
