#!/usr/bin/env bash
# The image-folder route on real files: Fashion-MNIST written as a PNG class folder (flowmatch-trainer images), a
# U-Net trained on folder:DIR, a feature classifier trained on the same folder, samples of every class, and the
# evaluation in that classifier's feature space against the folder's held-out images (one in ten per class).
# STEPS (default 1500) and BATCH (default 64) size the training; the shipped model took 24000 steps at 128.
set -euo pipefail
cd "$(dirname "$0")/.."
out=${OUT:-out/image-folder-route}
steps=${STEPS:-1500}
batch=${BATCH:-64}
mkdir -p "$out"
dotnet build Pipeline.sln -c Release >/dev/null
trainer() { dotnet trainer/bin/Release/net10.0/flowmatch-trainer.dll "$@"; }
flowmatch() { dotnet runtime/flowmatch/bin/Release/net10.0/flowmatch.dll "$@"; }
[ -d "$out/fashion" ] || trainer images --target fashion-mnist --out "$out/fashion"
trainer train --target "folder:$out/fashion" --network unet --steps "$steps" --batch "$batch" --lr 1e-3 --label-dropout 0.2 --ema 0.999 --seed 0 \
  --out "$out/model.onnx" --image-cache "$out/fashion.images" --force
trainer classifier --target "folder:$out/fashion" --out "$out/classifier.onnx" --force
flowmatch sample --model "$out/model.onnx" --class all --n 1000 --method heun --steps 20 --guidance 2 --out "$out/samples.png" --force
flowmatch evaluate --samples "$out/samples.npy" --target "folder:$out/fashion" --classifier "$out/classifier.onnx"
