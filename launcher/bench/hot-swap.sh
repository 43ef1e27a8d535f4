#!/usr/bin/env bash
# Hot swap in the launcher's Felix: install-to-usable of the opencl and cpu bundles, and evacuation of 1 GB of
# tensors from opencl:0 when its bundle stops, against System.arraycopy of the same bytes. Needs a built tree
# (mvn -B -DskipTests package). Usage: bash launcher/bench/hot-swap.sh OUT.json [REPEATS]
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
java="${JAVA:-java}"
# the JDK's signal chaining, as bin/plugtorch does: PoCL's in-process LLVM must not take the JVM's signal handlers
jsig="$("$java" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.home = //p')/lib/libjsig.so"
case ":${LD_PRELOAD:-}:" in *":$jsig:"*) ;; *) [ -f "$jsig" ] && export LD_PRELOAD="$jsig${LD_PRELOAD:+:$LD_PRELOAD}" ;; esac
"$java" -Xms6g -Xmx6g -XX:+AlwaysPreTouch --add-modules jdk.incubator.vector \
  --enable-native-access=ALL-UNNAMED -cp "$root/launcher/target/test-classes:$root/launcher/target/plugtorch/lib/*" \
  org.plugtorch.launcher.bench.HotSwapBenchmark "$root/launcher/target/plugtorch" "${2:-5}" | tee "$1.log"
grep '^{' "$1.log" | tail -1 > "$1"
