#!/usr/bin/env bash
# Issue 13's sweeps for a class-conditional image model: Fréchet ratio, class accuracy, precision, recall and
# memorisation (flowmatch evaluate) against the guidance scale at one sampler (0: unconditional), and against the
# sampler and its steps at one guidance scale; a CSV table per series, the sweep figures and a
# grid per guidance scale. Usage: scripts/image-sweeps.sh [MODEL] [OUT]. Settings from the environment:
# N (samples per setting, 200 per class at 2000), METHOD/STEPS (the guidance sweep's sampler, default euler
# 40), GUIDANCES (the guidance sweep's scales, default 0 1 1.5 2 3 4), GUIDANCE (the sampler sweep's scale,
# default 1.5), SWEEPS (any of guidance, sampler, interval, autoguidance; default the first two), INTERVALS (the
# interval sweep's settings GUIDANCE@FROM,TO, sampled with METHOD/STEPS), AUTOGUIDANCES (the unconditional
# samples' autoguidance weights, default 1 1.05 1.1 1.2 1.5, by WEAK, default the model's recommended weak model,
# with METHOD/STEPS; the table's guidance column holds the weight). Guidance applies at every t unless the
# interval sweep says otherwise, and unconditional rows are the model alone, whatever the model recommends. Hours at N=2000 on 2 cores; run nothing else
# meanwhile.
set -euo pipefail
cd "$(dirname "$0")/.."
model=${1:-models/fashion-mnist.onnx}
out=${2:-out/sweeps}
n=${N:-2000}
method=${METHOD:-euler}
steps=${STEPS:-40}
guidance=${GUIDANCE:-1.5}
[[ -f /usr/share/datasets/fashion-mnist/t10k-images-idx3-ubyte.gz ]] || { echo "needs: apt-get install dataset-fashion-mnist" >&2; exit 1; }
# RUNTIME_DLL: a copy of the runtime's build output to run (so that rebuilding the tree meanwhile is safe).
[[ -n ${RUNTIME_DLL:-} ]] || dotnet build runtime/flowmatch -c Release >/dev/null
flowmatch() { dotnet "${RUNTIME_DLL:-runtime/flowmatch/bin/Release/net10.0/flowmatch.dll}" "$@"; }
mkdir -p "$out"
header=guidance,guidance_interval,steps,nfe,seconds,frechet,floor,frechet_ratio,class_accuracy,smallest_share,largest_share,precision,recall,memorisation

# measure TABLE NAME GUIDANCE STEPS SAMPLE-OPTIONS...: samples, evaluates, appends a row to TABLE.csv.
# A setting measured before in OUT (say the guidance sweep's point at the sampler sweep's scale) is not sampled
# again: OUT/measured.txt maps each setting to its result.
measure() {
  local table=$1 name=$2 w=$3 k=$4 span=${SPAN:-0,1}
  shift 4
  [[ -f $out/$table.csv ]] || echo "$header" >"$out/$table.csv"
  local before
  before=$(awk -F'\t' -v key="$*" '$1 == key { print $2; exit }' "$out/measured.txt" 2>/dev/null || true)
  if [[ -n $before ]]; then
    [[ $before == "$name" ]] || cp "$out/$before.json" "$out/$name.json"
    [[ $before == "$name" ]] || cp "$out/$before.log" "$out/$name.log"
  else
    local start end
    start=$(date +%s.%N)
    flowmatch sample --model "$model" --n "$n" --seed 1 --out "$out/$name.npy" --force "$@" 2>"$out/$name.log"
    end=$(date +%s.%N)
    echo "seconds $(awk -v a="$start" -v b="$end" 'BEGIN { printf "%.1f", b - a }')" >>"$out/$name.log"
    flowmatch evaluate --samples "$out/$name.npy" --target fashion-mnist --report "$out/$name.json" --force >>"$out/$name.log" 2>&1
    printf '%s\t%s\n' "$*" "$name" >>"$out/measured.txt"
  fi
  python3 - "$out/$name.json" "$w" "$span" "$k" "$(grep -o 'NFE [0-9]*' "$out/$name.log" | tail -1 | cut -d' ' -f2)" "$(sed -n 's/^seconds //p' "$out/$name.log")" >>"$out/$table.csv" <<'PY'
import csv, json, sys
r = json.load(open(sys.argv[1]))
acc = r["ConditionalAccuracy"]
csv.writer(sys.stdout, lineterminator="\n").writerow([sys.argv[2], sys.argv[3], sys.argv[4], sys.argv[5], round(float(sys.argv[6]), 1), r["Frechet"],
    r["FrechetFloor"], r["FrechetRatio"], "" if acc is None else acc, r["SmallestClassShare"], r["LargestClassShare"], r["Precision"], r["Recall"],
    r["Memorisation"]])
PY
  echo "$table $name: $(tail -1 "$out/$table.csv")" >&2
}

sweeps=${SWEEPS:-guidance sampler}
if [[ " $sweeps " == *" guidance "* ]]; then
  for w in ${GUIDANCES:-0 1 1.5 2 3 4}; do
    # Guidance 0 is v_uncond alone: the null class, sampled as such (the same samples, half the work); its row
    # gives the unconditional class shares.
    if [[ $w == 0 ]]; then
      measure guidance guidance-0 0 "$steps" --class none --autoguidance 1 --method "$method" --steps "$steps"
    else
      measure guidance "guidance-$w" "$w" "$steps" --class all --guidance "$w" --guidance-interval 0,1 --method "$method" --steps "$steps"
    fi
  done
fi

if [[ $sweeps == *interval* ]]; then
  for setting in ${INTERVALS:-1.25@0,1 1.5@0.15,0.8 2@0.15,0.8 3@0.15,0.8}; do
    w=${setting%@*} span=${setting#*@}
    SPAN=$span measure interval "interval-$w-$span" "$w" "$steps" --class all --guidance "$w" --guidance-interval "$span" --method "$method" --steps "$steps"
  done
fi

if [[ $sweeps == *sampler* ]]; then
  for k in 10 20 40 80; do
    measure euler "euler-$k" "$guidance" "$k" --class all --guidance "$guidance" --guidance-interval 0,1 --method euler --steps "$k"
  done
  for k in 10 20; do
    measure heun "heun-$k" "$guidance" "$k" --class all --guidance "$guidance" --guidance-interval 0,1 --method heun --steps "$k"
  done
  measure dopri5 dopri5 "$guidance" "" --class all --guidance "$guidance" --guidance-interval 0,1 --method dopri5 --rtol 1e-3 --atol 1e-3
  measure sde sde-em-80 "$guidance" 80 --class all --guidance "$guidance" --guidance-interval 0,1 --sampler sde --steps 80

  flowmatch plot sweep --table "$out/euler.csv" "$out/heun.csv" "$out/dopri5.csv" "$out/sde.csv" --x nfe --y frechet_ratio class_accuracy --out "$out/sweep-sampler.png" --force
fi

if [[ $sweeps == *autoguidance* ]]; then
  weak=(${WEAK:+--weak-model "$WEAK"})
  for w in ${AUTOGUIDANCES:-1 1.05 1.1 1.2 1.5}; do
    measure autoguidance "autoguidance-$w" "$w" "$steps" --class none --autoguidance "$w" "${weak[@]}" --method "$method" --steps "$steps"
  done
fi

[[ " $sweeps " != *" guidance "* ]] || flowmatch plot sweep --table "$out/guidance.csv" --x guidance --y frechet_ratio class_accuracy recall --out "$out/sweep-guidance.png" --force
for table in guidance interval euler heun dopri5 sde autoguidance; do
  [[ -f $out/$table.csv ]] || continue
  echo "## $table"
  cat "$out/$table.csv"
done
