#!/usr/bin/env bash
# The tutorial end to end: train the velocity field on the 8-mode ring with the tutorial's settings,
# export it to ONNX, and draw 20000 samples with the probability-flow ODE and with the SDE.
# Everything goes to the folder given as the first argument (default out/tutorial), replacing what an
# earlier run of this script left there.
set -euo pipefail
cd "$(dirname "$0")"
out=${1:-out/tutorial}
target=${TARGET:-gmm8}
mkdir -p "$out"

dotnet build Pipeline.sln -c Release
trainer() { dotnet trainer/bin/Release/net10.0/trainer.dll "$@"; }
runtime() { dotnet runtime/bin/Release/net10.0/runtime.dll "$@"; }

trainer train --target "$target" --out "$out/$target.onnx" --loss-csv "$out/loss.csv" --force
runtime sample --model "$out/$target.onnx" --sampler ode --out "$out/samples-ode.csv" --force
runtime sample --model "$out/$target.onnx" --sampler sde --out "$out/samples-sde.csv" --force
echo "done: $out/$target.onnx, $out/loss.csv, $out/samples-ode.csv, $out/samples-sde.csv"
