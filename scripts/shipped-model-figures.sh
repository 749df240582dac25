#!/usr/bin/env bash
# Recomputes every figure that models/README.md states for the shipped models, and the PNGs that
# README.md shows. Prints the evaluation summaries; writes PNGs to docs/figures and scratch CSVs to
# out/figures. Takes a few minutes on 2 cores.
set -euo pipefail
cd "$(dirname "$0")/.."
dotnet build Pipeline.sln -c Release >/dev/null
flowmatch() { dotnet runtime/flowmatch/bin/Release/net10.0/flowmatch.dll "$@"; }
out=out/figures
figures=docs/figures
mkdir -p "$out" "$figures"

for target in gmm8 checkerboard; do
  model=models/$target.onnx
  flowmatch sample --model "$model" --sampler ode --out "$out/$target-ode.csv" --trajectory "$out/$target-paths.csv" --force
  flowmatch sample --model "$model" --sampler sde --out "$out/$target-sde.csv" --force
  echo "== $target, ODE (Euler, 80 steps)"; flowmatch evaluate --samples "$out/$target-ode.csv" --target "$target"
  echo "== $target, SDE (Euler-Maruyama, eps 2, 80 steps)"; flowmatch evaluate --samples "$out/$target-sde.csv" --target "$target"
  flowmatch sample --model "$model" --method dopri5 --out "$out/$target-dopri5.csv" --force
  echo "== $target, ODE with dopri5"; flowmatch evaluate --samples "$out/$target-dopri5.csv" --target "$target"
  flowmatch plot distributions --target "$target" --out "$figures/$target-distributions.png" --width 800 --height 400 --force
  flowmatch plot interpolant --target "$target" --out "$figures/$target-interpolant.png" --width 1500 --height 280 --force
  flowmatch plot loss --loss-csv "models/$target-loss.csv" --out "$figures/$target-loss.png" --width 700 --height 350 --force
  flowmatch plot samples --samples "$out/$target-ode.csv" "$out/$target-sde.csv" --title "Samples from the prob. flow ODE" "Samples from the SDE" \
    --out "$figures/$target-samples.png" --width 800 --height 400 --force
  flowmatch plot trajectories --trajectory "$out/$target-paths.csv" --samples "$out/$target-ode.csv" --out "$figures/$target-characteristics.png" \
    --width 450 --height 450 --force
done

echo "== exact gmm8 field, ODE (Euler, 80 steps)"; flowmatch sample --model exact:gmm8 --out "$out/exact-ode.csv" --force; flowmatch evaluate --samples "$out/exact-ode.csv"
flowmatch draw --target gmm8 --n 5000 --seed 1 --out "$out/gmm8-target.csv" --force
echo "== log-likelihood of 5000 target samples (entropy of the ring: 4.186 nats)"
echo -n "shipped gmm8 (rk4, 100 steps): "; flowmatch logprob --in "$out/gmm8-target.csv" --out "$out/gmm8-logp.csv" --force
echo -n "exact field (rk4, 100 steps): "; flowmatch logprob --model exact:gmm8 --in "$out/gmm8-target.csv" --out "$out/exact-logp.csv" --force

# evaluate averages over 8 target sets, but its figure still moves with the sample seed, so the ODE figure is
# also given over four more sample and target seeds, for the shipped and the exact field.
for model in models/gmm8.onnx exact:gmm8; do
  echo "== $model, ODE (Euler, 80 steps), sample seed s against target seed 100 + s"
  for s in 1 2 3 4; do
    flowmatch sample --model "$model" --seed "$s" --out "$out/seed-$s.csv" --force 2>/dev/null
    echo -n "seed $s: "; flowmatch evaluate --samples "$out/seed-$s.csv" --seed "$((100 + s))" | grep 'energy distance'
  done
done
