#!/usr/bin/env bash
# The fast sampling routes against the step-by-step fp32 runtime. Speed, in-process (benchmarks/SamplingBenchmark):
# samples/s of the shipped gmm8 model with Euler K steps, of models/gmm8-int8.onnx, of its one-call euler:K graph
# (flowmatch-trainer export-sampler) and of the shipped reflow model with 1, 2 and 4 Euler steps, at n = 20000 and n = 100,
# 1 and 2 threads, each with its ratio to the fp32 runtime measured in the same run. Quality of the same routes
# (20000 samples, seed 0, `flowmatch evaluate` against 8 target sets): energy ratio to the floor, the smallest and
# largest mode, and the mean NLL of 5000 target points (rk4 100 steps, exact divergence; a sampler graph has no
# field to integrate). Then the trainer's steps/s in fp32 and with bf16 products (benchmarks/TrainingPrecisionBenchmark).
# K: STEPS (default 80). Run nothing else meanwhile.
set -euo pipefail
cd "$(dirname "$0")/.."
steps=${STEPS:-80}
dotnet build Pipeline.sln -c Release >/dev/null
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
flowmatch() { dotnet runtime/flowmatch/bin/Release/net10.0/flowmatch.dll "$@"; }
dotnet trainer/bin/Release/net10.0/flowmatch-trainer.dll export-sampler --model models/gmm8.onnx --steps "$steps" --out "$out/gmm8-euler$steps.onnx" 2>/dev/null
dotnet benchmarks/SamplingBenchmark/bin/Release/net10.0/SamplingBenchmark.dll \
  "models/gmm8.onnx=$steps" "models/gmm8-int8.onnx=$steps" "$out/gmm8-euler$steps.onnx" \
  models/gmm8-reflow.onnx=1 models/gmm8-reflow.onnx=2 models/gmm8-reflow.onnx=4

flowmatch draw --target gmm8 --n 5000 --seed 1 --out "$out/target.csv" 2>/dev/null
echo
printf '%-36s %12s %16s %10s\n' route "energy ratio" "modes" "NLL"
declare -A nlls  # the NLL depends on the model only, not on the sampler
# quality NAME MODEL SAMPLE-OPTIONS...
quality() {
  local name=$1 model=$2
  shift 2
  flowmatch sample --model "$model" --n 20000 --provider cpu --out "$out/s.csv" --force "$@" 2>/dev/null
  flowmatch evaluate --samples "$out/s.csv" --target gmm8 --report "$out/e.json" --force >/dev/null 2>&1
  if [[ -z ${nlls[$model]:-} ]]; then
    nlls[$model]=-
    [[ $model == *euler$steps.onnx ]] ||
      nlls[$model]=$(flowmatch logprob --model "$model" --provider cpu --in "$out/target.csv" --out "$out/lp.csv" --force 2>&1 | sed -n 's/mean negative log-likelihood \([0-9.]*\) nats.*/\1/p')
  fi
  local nll=${nlls[$model]}
  python3 - "$out/e.json" "$name" "$nll" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
print(f"{sys.argv[2]:<36} {r['EnergyRatio']:11.2f}x {100 * r['Modes']['Smallest']:6.2f}% .. {100 * r['Modes']['Largest']:5.2f}% {sys.argv[3]:>10}")
PY
}
quality "gmm8 fp32, Euler $steps" models/gmm8.onnx --steps "$steps"
quality "gmm8 int8, Euler $steps" models/gmm8-int8.onnx --steps "$steps"
quality "gmm8 euler:$steps graph" "$out/gmm8-euler$steps.onnx"
for k in 1 2 4; do
  quality "gmm8-reflow, Euler $k" models/gmm8-reflow.onnx --method euler --steps "$k"
done
quality "gmm8-reflow, recommended (4 adapted)" models/gmm8-reflow.onnx

echo
dotnet benchmarks/TrainingPrecisionBenchmark/bin/Release/net10.0/TrainingPrecisionBenchmark.dll
