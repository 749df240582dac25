#!/usr/bin/env bash
# Image training throughput: the shipped Fashion-MNIST U-Net's configuration (channels 32,64,64, batch 128)
# for STEPS steps (default 60) without validation, as steps/s and images/s from the trainer's own clock,
# beside the same run of the 2-D tutorial network as a same-machine baseline. Run nothing else meanwhile.
set -euo pipefail
cd "$(dirname "$0")/.."
steps=${STEPS:-60}
[[ -f /usr/share/datasets/fashion-mnist/train-images-idx3-ubyte.gz ]] || { echo "needs: apt-get install dataset-fashion-mnist" >&2; exit 1; }
dotnet build trainer -c Release >/dev/null
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
run() {
  local name=$1 batch=$2
  shift 2
  dotnet trainer/bin/Release/net10.0/flowmatch-trainer.dll train --steps "$steps" --batch "$batch" --validation-batch 0 --out "$out/$name.onnx" "$@" 2>"$out/$name.log"
  local seconds
  seconds=$(sed -n 's/.* steps in \([0-9.]*\)s.*/\1/p' "$out/$name.log")
  awk -v n="$name" -v s="$seconds" -v k="$steps" -v b="$batch" 'BEGIN { printf "%-34s %8.1f s %8.2f steps/s %9.0f samples/s\n", n, s, k / s, k * b / s }'
}
run "unet 32,64,64 fashion-mnist, b128" 128 --target fashion-mnist --network unet --channels 32,64,64
run "mlp 3x512 gmm8 (tutorial), b2500" 2500 --target gmm8
