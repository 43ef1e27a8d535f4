#!/usr/bin/env bash
# Builds, on a machine with a JDK and Maven, everything run-gpu-checks.sh needs on the GPU machine, which has neither
# Java nor a network: cuda-backend-bundle/target/gpu-kit/ with
#   jre.tar.gz     a Java runtime made by jlink (Temurin's where installed: it needs only glibc 2.17, where Debian's
#                  OpenJDK 17 needs 2.34, which older GPU images lack; the classes are Java 17 and run on it as they are)
#   lib/           the API, its test kit, the cuda bundle (JCuda and its natives inside) and JUnit's console launcher
#   test-classes/  the cuda module's tests: the test kits' subclasses, the GPU tests, the GEMM benchmark
#   plugtorch/     the launcher's distribution, for the seed demo
#   BUILD.txt      what was built, from which commit, with which JDK
# Carry that one folder to the GPU machine with the working tree (docs/gpu.md says how). Usage, from anywhere:
#   cuda-backend-bundle/gpu/build-gpu-kit.sh
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$root"
platform_version="${JUNIT_PLATFORM_VERSION:-1.14.1}"
jdk="${KIT_JDK:-/usr/lib/jvm/temurin-25-jdk-amd64}"
if [ ! -x "$jdk/bin/jlink" ]; then
  jdk="$(dirname "$(dirname "$(readlink -f "$(command -v javac)")")")"
  echo "build-gpu-kit: no Temurin JDK at the default place; using $jdk (check its glibc needs against the GPU image)"
fi
# java.sql for JUnit's console launcher, java.management and java.xml for Felix SCR, java.logging for JCuda and Felix
modules="java.base,java.logging,java.management,java.xml,java.sql,jdk.unsupported"

echo "build-gpu-kit: building the reactor (tests compiled, not run)"
mvn -B -q -DskipProvision=true -DskipTests package

kit=cuda-backend-bundle/target/gpu-kit
rm -rf "$kit"
mkdir -p "$kit/lib"
cp api-bundle/target/api-bundle-*-SNAPSHOT.jar api-bundle/target/api-bundle-*-SNAPSHOT-tests.jar "$kit/lib/"
cp cuda-backend-bundle/target/cuda-backend-bundle-*-SNAPSHOT.jar "$kit/lib/"
cp -r cuda-backend-bundle/target/test-classes "$kit/test-classes"
mvn -B -q dependency:copy -Dartifact="org.junit.platform:junit-platform-console-standalone:$platform_version" \
  -DoutputDirectory="$root/$kit/lib"
if [ -d launcher/target/plugtorch ]; then
  cp -r launcher/target/plugtorch "$kit/plugtorch"
else
  echo "build-gpu-kit: no launcher distribution (launcher/target/plugtorch); the seed demo step will be skipped"
fi

echo "build-gpu-kit: jlink $modules from $jdk"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
"$jdk/bin/jlink" --add-modules "$modules" --strip-debug --no-header-files --no-man-pages --compress=zip-9 \
  --output "$tmp/jre"
tar czf "$kit/jre.tar.gz" -C "$tmp" jre
{
  echo "built $(date -u +%Y-%m-%dT%H:%M:%SZ) from commit $(git rev-parse --short HEAD)$(git diff --quiet || echo ' (with uncommitted changes)')"
  echo "runtime: $("$tmp/jre/bin/java" -version 2>&1 | head -n 1) from $jdk, modules $modules"
  echo "runtime needs glibc $(objdump -T "$tmp/jre/lib/server/libjvm.so" 2>/dev/null | grep -o 'GLIBC_[0-9.]*' | sort -V | tail -n 1 || echo '(objdump missing)')"
  echo "junit-platform-console-standalone $platform_version"
} > "$kit/BUILD.txt"
cat "$kit/BUILD.txt"
echo "build-gpu-kit: $(du -sh "$kit" | cut -f 1) in $kit (the working tree and this folder must stay under 64 MiB together)"
