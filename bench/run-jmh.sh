#!/usr/bin/env bash
# run-jmh.sh: build the benchmark jar and run JMH benchmarks of loes4j against its peers.
#
#   bench/run-jmh.sh [--quick] [--publish] [--no-build] [INCLUDE_REGEX] [-- JMH_ARGS...]
#
#   INCLUDE_REGEX  which benchmarks (JMH include regex), default: all, e.g. 'GemmBench|GramBench'
#   --quick        smoke run: 1 fork, 1 x 1 s warmup, 1 x 1 s measurement (numbers are NOT results)
#   --publish      also write bench/RESULTS.md (do this only for a full run on a quiet machine)
#   --no-build     reuse bench/target/benchmarks.jar
#   JMH_ARGS       passed to JMH as they are, e.g. -- -p impl=openblas,loes4j-vector -p n=256
#
# Writes bench/results/jmh-<UTC time>.{json,log,md} (smoke-<UTC time>.* with --quick, ignored by git).
# Finds a JDK >= 25 like ./loes does: $JAVA_HOME if it is one, else the newest under /usr/lib/jvm (or
# $LOES_JDK_DIRS). Needs Maven (mvn on PATH, or $MVN); extra Maven flags in $LOES_MVN_OPTS (e.g. -o).
# A full run (all benchmarks, defaults) takes about 20-25 minutes on 2 cores; run it on a quiet machine.
set -euo pipefail

BENCH="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$BENCH/.." && pwd)"

die() { echo "run-jmh: $*" >&2; exit 2; }

QUICK=0
PUBLISH=0
BUILD=1
INCLUDE=""
JMH_ARGS=()
while [ $# -gt 0 ]; do
  case "$1" in
    --quick) QUICK=1 ;;
    --publish) PUBLISH=1 ;;
    --no-build) BUILD=0 ;;
    --) shift; JMH_ARGS+=("$@"); break ;;
    -h|--help) sed -n '2,/^set /{/^#/p}' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 0 ;;
    -*) die "unknown option $1 (JMH options go after --)" ;;
    *) [ -z "$INCLUDE" ] || die "only one include regex, got '$INCLUDE' and '$1'"; INCLUDE="$1" ;;
  esac
  shift
done
if [ "$QUICK" = 1 ] && [ "$PUBLISH" = 1 ]; then
  die "--quick numbers are not results: refusing to --publish them"
fi

JDK=$("$ROOT/loes" java-home) || exit 2   # the launcher's JDK discovery, one implementation
export JAVA_HOME="$JDK"
JAVA="$JDK/bin/java"
JAR="$BENCH/target/benchmarks.jar"

if [ "$BUILD" = 1 ]; then
  MVN="${MVN:-mvn}"
  command -v "$MVN" >/dev/null 2>&1 || die "Maven ('$MVN') is not on PATH; install it or set MVN."
  echo "run-jmh: building the benchmark jar with the JDK at $JDK..." >&2
  (cd "$ROOT" && "$MVN" -B -ntp -q ${LOES_MVN_OPTS:-} -pl bench -am package -DskipTests) \
    || die "build failed (output above)"
fi
[ -f "$JAR" ] || die "$JAR is missing: run without --no-build"

mkdir -p "$BENCH/results"
STAMP=$(date -u +%Y%m%dT%H%M%SZ)
if [ "$QUICK" = 1 ]; then
  OUT="$BENCH/results/smoke-$STAMP"   # ignored by git (bench/results/.gitignore): smoke numbers are not results
else
  OUT="$BENCH/results/jmh-$STAMP"
fi

ARGS=()
[ -n "$INCLUDE" ] && ARGS+=("$INCLUDE")
if [ "$QUICK" = 1 ]; then
  ARGS+=(-f 1 -wi 1 -i 1 -w 1s -r 1s)
fi
ARGS+=(-rf json -rff "$OUT.json")
ARGS+=("${JMH_ARGS[@]}")

# The host JVM's arguments are inherited by JMH's forks; the flags each fork needs (Vector API, native
# access, heap) come from @Fork(jvmArgsAppend) on every benchmark class.
# The OpenBLAS peer must run its best kernels for this CPU: some of our machines set OPENBLAS_CORETYPE (e.g.
# Haswell: AVX2 kernels on an AVX-512 CPU, which flatters loes4j by ~1.25x) and OPENBLAS_L2_SIZE. Both are
# unset for the benchmark JVM (and its forks); what they were is recorded, and the core OpenBLAS then chose
# (openblas_get_corename) is in the impl notes of the report.
WAS_OPENBLAS="OPENBLAS_CORETYPE=${OPENBLAS_CORETYPE:-unset}, OPENBLAS_L2_SIZE=${OPENBLAS_L2_SIZE:-unset}"
CMD=(env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE "$JAVA" -Dloes4j.bench.nativeDir="$BENCH/target/native" -jar "$JAR" "${ARGS[@]}")
SHOWN="bench/run-jmh.sh"
[ "$QUICK" = 1 ] && SHOWN+=" --quick"
[ -n "$INCLUDE" ] && SHOWN+=" '$INCLUDE'"
[ ${#JMH_ARGS[@]} -gt 0 ] && SHOWN+=" -- ${JMH_ARGS[*]}"
SHOWN+="   (= java -jar bench/target/benchmarks.jar ${ARGS[*]})"

echo "run-jmh: ${CMD[*]}" >&2
set +e
"${CMD[@]}" 2>&1 | tee "$OUT.log"
RC=${PIPESTATUS[0]}
set -e
[ "$RC" = 0 ] || echo "run-jmh: JMH exited with $RC; see $OUT.log" >&2
[ -s "$OUT.json" ] || die "no results written ($OUT.json is empty)"

grep -oE '# impl .*' "$OUT.log" | sed 's/^# impl //' | sort -u > "$OUT.impls" || true
FAILED=$(grep -c '^<failure>' "$OUT.log" || true)

STATUS=""
if [ "$QUICK" = 1 ]; then
  STATUS="SMOKE RUN (1 x 1 s iterations, busy machine): these numbers only show that the harness works; they are not results."
fi
GIT=$(cd "$ROOT" && git rev-parse --short HEAD 2>/dev/null || echo unknown)
if [ -n "$(cd "$ROOT" && git status --porcelain --untracked-files=no 2>/dev/null)" ]; then GIT="$GIT (with uncommitted changes)"; fi
LOAD=$(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo unknown)

"$JAVA" -cp "$JAR" org.loes4j.bench.report.ResultsReport --json "$OUT.json" --out "$OUT.md" \
  --command "$SHOWN" --status "$STATUS" --impl-notes "$OUT.impls" \
  --meta "git commit=$GIT" --meta "Load average before the report (1/5/15 min)=$LOAD" \
  --meta "Failed benchmarks (see the log)=$FAILED" \
  --meta "OpenBLAS environment before the run (both unset for it)=$WAS_OPENBLAS" \
  --meta "OPENBLAS_NUM_THREADS=${OPENBLAS_NUM_THREADS:-unset}"
rm -f "$OUT.impls"
echo "run-jmh: results in $OUT.json, tables in $OUT.md" >&2
if [ "$PUBLISH" = 1 ]; then
  cp "$OUT.md" "$BENCH/RESULTS.md"
  echo "run-jmh: wrote bench/RESULTS.md" >&2
fi
exit "$RC"
