#!/usr/bin/env bash
# The tutorial end to end: train the velocity field on the 8-mode ring with the tutorial's settings,
# export it to ONNX, draw 20000 samples with the probability-flow ODE and with the SDE, evaluate both
# and draw the tutorial's figures; beside its energy ratios, the shipped model's, measured the same way. Everything goes to the folder given as the first argument (default
# out/tutorial), replacing what an earlier run of this script left there.
set -euo pipefail
cd "$(dirname "$0")"
out=${1:-out/tutorial}
target=${TARGET:-gmm8}
mkdir -p "$out"

dotnet build Pipeline.sln -c Release
flowmatch-trainer() { dotnet trainer/bin/Release/net10.0/flowmatch-trainer.dll "$@"; }
flowmatch() { dotnet runtime/flowmatch/bin/Release/net10.0/flowmatch.dll "$@"; }

flowmatch-trainer train --target "$target" --out "$out/$target.onnx" --loss-csv "$out/loss.csv" --force
flowmatch sample --model "$out/$target.onnx" --sampler ode --out "$out/samples-ode.csv" --trajectory "$out/paths.csv" --force
flowmatch sample --model "$out/$target.onnx" --sampler sde --out "$out/samples-sde.csv" --force
flowmatch evaluate --samples "$out/samples-ode.csv" --target "$target" --report "$out/evaluation-ode.json" --force
flowmatch evaluate --samples "$out/samples-sde.csv" --target "$target" --report "$out/evaluation-sde.json" --force
flowmatch plot loss --loss-csv "$out/loss.csv" --out "$out/loss.png" --force
flowmatch plot samples --samples "$out/samples-ode.csv" "$out/samples-sde.csv" --title "Samples from the prob. flow ODE" "Samples from the SDE" --out "$out/samples.png" --force
flowmatch plot trajectories --trajectory "$out/paths.csv" --samples "$out/samples-ode.csv" --out "$out/characteristics.png" --width 600 --height 600 --force

# What good looks like: the same sampler on the shipped model of this target (trained the same way, seed 0), where
# there is one. An energy ratio of 1 is the noise floor: as close as a fresh set of the target itself.
ratio() { sed -n 's/^  "EnergyRatio": \([0-9.]*\).*/\1/p' "$1" | head -c 5; }
summary="energy ratio to the noise floor (1 = a fresh set of the target itself): ODE $(ratio "$out/evaluation-ode.json"), SDE $(ratio "$out/evaluation-sde.json")"
if [[ $target == gmm8 || $target == checkerboard ]]; then
  flowmatch sample --model "$target" --sampler ode --out "$out/shipped-ode.csv" --force
  flowmatch evaluate --samples "$out/shipped-ode.csv" --target "$target" --report "$out/evaluation-shipped-ode.json" --force
  summary="$summary; the shipped models/$target.onnx, ODE: $(ratio "$out/evaluation-shipped-ode.json")"
fi
echo "done: $out/$target.onnx, loss.csv, samples-ode.csv, samples-sde.csv, evaluation-*.json, *.png"
echo "$summary"
