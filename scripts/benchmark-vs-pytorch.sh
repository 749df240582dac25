#!/usr/bin/env bash
# The project's U-Net beside PyTorch's of the same design and width (scripts/benchmark-vs-pytorch.py), on this
# machine, taking turns within each of REPEATS rounds (default 3), medians printed: training steps/s at batch 64 and
# 128 (STEPS steps each, default 30; the trainer's own clock, PyTorch's around its loop; peak resident memory of the
# process), and sampling images/s with Euler 40 steps at guidance 1 and 2 on N images (default 200; ours is
# `flowmatch sample` on the shipped model, wall time less a one-image start-up run; PyTorch eager with random weights,
# which cost the same). Then the parameter count and FLOPs per image forward, and the GFLOP/s both reach beside the
# fp32 matrix-product rate of TorchSharp's libtorch on the same cores (Debian's PyTorch uses reference BLAS for its
# own matrix products). Needs Debian's python3-torch (installed here when missing); run nothing else meanwhile.
set -euo pipefail
cd "$(dirname "$0")/.."
repeats=${REPEATS:-3}; steps=${STEPS:-30}; n=${N:-200}
python=/usr/bin/python3
"$python" -c "import torch" 2>/dev/null || apt-get install -y python3-torch >/dev/null
[[ -f /usr/share/datasets/fashion-mnist/train-images-idx3-ubyte.gz ]] || { echo "needs: apt-get install dataset-fashion-mnist" >&2; exit 1; }
dotnet build Pipeline.sln -c Release >/dev/null
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
results=$work/results.jsonl
peak() { sed -n 's/.*Maximum resident set size (kbytes): \([0-9]*\)/\1/p' "$1"; }
ours_train() {
  /usr/bin/time -v dotnet trainer/bin/Release/net10.0/flowmatch-trainer.dll train --target fashion-mnist --network unet --channels 32,64,64 \
    --batch "$1" --steps "$steps" --validation-batch 0 --lr 1e-3 --label-dropout 0.2 --ema 0.999 --out "$work/m.onnx" --force 2>"$work/log"
  local seconds; seconds=$(sed -n 's/.* steps in \([0-9.]*\)s.*/\1/p' "$work/log")
  echo "{\"side\": \"ours\", \"what\": \"train b$1\", \"seconds\": $seconds, \"steps_per_s\": $(awk -v s="$seconds" -v k="$steps" 'BEGIN{print k/s}'), \"peak_mb\": $(( $(peak "$work/log") / 1024 ))}" >>"$results"
}
torch_train() {
  /usr/bin/time -v "$python" scripts/benchmark-vs-pytorch.py train "$1" "$steps" 2>"$work/log" | sed "s/}$/, \"peak_mb\": PEAK}/" >"$work/line"
  sed "s/PEAK/$(( $(peak "$work/log") / 1024 ))/" "$work/line" >>"$results"
}
ours_sample() {
  local count=$2 start end
  start=$(date +%s.%N)
  dotnet runtime/flowmatch/bin/Release/net10.0/flowmatch.dll sample --model models/fashion-mnist.onnx --class all --n "$count" --method euler --steps 40 \
    --guidance "$1" --guidance-interval 0,1 --provider cpu --out "$work/s.npy" --force 2>/dev/null
  end=$(date +%s.%N)
  awk -v a="$start" -v b="$end" 'BEGIN{print b-a}'
}
for round in $(seq "$repeats"); do
  for batch in 64 128; do ours_train "$batch"; torch_train "$batch"; done
  startup=$(ours_sample 1 1)
  for g in 1 2; do
    wall=$(ours_sample "$g" "$n")
    echo "{\"side\": \"ours\", \"what\": \"sample g$g\", \"seconds\": $(awk -v w="$wall" -v s="$startup" 'BEGIN{print w-s}'), \"images_per_s\": $(awk -v w="$wall" -v s="$startup" -v n="$n" 'BEGIN{print n/(w-s)}'), \"wall\": $wall}" >>"$results"
    "$python" scripts/benchmark-vs-pytorch.py sample "$g" "$n" >>"$results"
  done
  echo "round $round of $repeats done" >&2
done
"$python" scripts/benchmark-vs-pytorch.py facts >>"$results"
product=$(dotnet benchmarks/TrainingPrecisionBenchmark/bin/Release/net10.0/TrainingPrecisionBenchmark.dll 3 | sed -n 's/^matmul .* fp32 *\([0-9.]*\) \/s.*/\1/p')
"$python" - "$results" "$product" <<'PY'
import json, statistics, sys
rows = [json.loads(line) for line in open(sys.argv[1])]
facts = next(r for r in rows if r["what"] == "facts")
matmul = float(sys.argv[2]) * 2 * 2500 * 512 * 512 / 1e9
flop = facts["mflop_per_image"] * 1e6
print(f"U-Net 32,64,64 on Fashion-MNIST: {facts['parameters']} parameters (PyTorch's; the trainer's U-Net has the same, tested in UNetExportTests), "
      f"{facts['mflop_per_image']:.1f} MFLOP per image forward (convolutions and dense layers)")
print(f"fp32 matrix product [2500,512]x[512,512], TorchSharp's libtorch, 2 threads: {matmul:.0f} GFLOP/s; PyTorch {facts['torch']}, {facts['threads']} threads")
for what, unit, per in [("train b64", "steps_per_s", 64 * 3), ("train b128", "steps_per_s", 128 * 3), ("sample g1", "images_per_s", 40), ("sample g2", "images_per_s", 80)]:
    med = {side: statistics.median(r[unit] for r in rows if r["what"] == what and r["side"] == side) for side in ("ours", "torch")}
    mem = {side: max((r.get("peak_mb", 0) for r in rows if r["what"] == what and r["side"] == side), default=0) for side in ("ours", "torch")}
    # A training step is a forward and a backward (about twice the forward) per image.
    rates = {side: med[side] * per * flop / 1e9 for side in med}
    extra = f"; peak memory {mem['ours']} MB vs {mem['torch']} MB" if mem["ours"] else ""
    print(f"{what:10s} ours {med['ours']:7.2f} {unit.replace('_per_s', '/s'):9s} PyTorch {med['torch']:7.2f}  ratio {med['ours'] / med['torch']:.2f}x  "
          f"(about {rates['ours']:.0f} vs {rates['torch']:.0f} GFLOP/s{extra})")
PY
