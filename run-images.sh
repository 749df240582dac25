#!/usr/bin/env bash
# Images end to end: Fashion-MNIST (Debian's dataset-fashion-mnist, installed here when missing and this
# runs as root), then class-conditional samples of the shipped U-Net at several guidance scales (.npy,
# .labels.npy and a PNG grid each) and the noise-to-image strip. With TRAIN=1 it first trains the model
# itself with the shipped model's command (hours on 2 CPU cores; Ctrl-C checkpoints, TRAIN=1 again resumes
# nothing by itself: use the resume command it prints). Output folder: the first argument (default out/images).
set -euo pipefail
cd "$(dirname "$0")"
out=${1:-out/images}
data=/usr/share/datasets/fashion-mnist
mkdir -p "$out"

if [[ ! -f $data/train-images-idx3-ubyte.gz ]]; then
  if [[ $(id -u) -eq 0 ]]; then
    apt-get update && apt-get install -y dataset-fashion-mnist
  else
    echo "Fashion-MNIST is missing: sudo apt-get install dataset-fashion-mnist" >&2
    exit 1
  fi
fi

dotnet build Pipeline.sln -c Release
flowmatch-trainer() { dotnet trainer/bin/Release/net10.0/flowmatch-trainer.dll "$@"; }
flowmatch() { dotnet runtime/flowmatch/bin/Release/net10.0/flowmatch.dll "$@"; }

model=models/fashion-mnist.onnx
if [[ ${TRAIN:-0} == 1 ]]; then
  model=$out/fashion-mnist.onnx
  flowmatch-trainer train --target fashion-mnist --network unet --channels 32,64,64 --batch 128 --steps 13000 --lr 1e-3 --lr-step 3000 --lr-gamma 0.6 --label-dropout 0.2 \
    --ema 0.999 --validation-batch 256 --validation-every 250 --seed 0 --out "$out/trained.onnx" --loss-csv "$out/loss.csv" --checkpoint-every 250 --force
  # The weak model that guides its unconditional samples (autoguidance): a wider network stopped at step 500.
  flowmatch-trainer train --target fashion-mnist --network unet --channels 48,96,96 --batch 128 --steps 500 --lr 1e-3 --lr-step 3000 --lr-gamma 0.6 --label-dropout 0.2 \
    --ema 0.999 --validation-batch 256 --validation-every 250 --time-sampling logit-normal:0,1 --seed 0 --out "$out/fashion-mnist-weak.onnx" --force
  flowmatch-trainer recommend --model "$out/trained.onnx" --method heun --steps 20 --guidance 1.75 --guidance-interval 0.25,0.8 \
    --weak-model "$out/fashion-mnist-weak.onnx" --autoguidance 1.1 --out "$model" --force
fi

# The model's recommended sampler (Heun 20 steps, guidance 1.75 for t in [0.25, 0.8]), then each guidance scale
# applied at every t; 0 is the unconditional field.
flowmatch sample --model "$model" --class all --n 100 --out "$out/recommended.npy" --force
for w in 0 1 1.25 1.5 2 3 4; do
  flowmatch sample --model "$model" --class all --guidance "$w" --guidance-interval 0,1 --n 100 --out "$out/guidance-$w.npy" --force
done
# Unconditional samples (the null class), guided by the weak model as the model recommends.
flowmatch sample --model "$model" --class none --n 100 --out "$out/unconditional.npy" --force
flowmatch plot image-path --model "$model" --class all --n 10 --snapshots 9 --out "$out/noise-to-image.png" --force
echo "done: $out/recommended.npy, unconditional.npy, guidance-*.npy (+ .labels.npy, .png), noise-to-image.png"
