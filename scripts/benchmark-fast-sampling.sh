#!/usr/bin/env bash
# The fast sampling routes against the step-by-step fp32 runtime, in-process (benchmarks/SamplingBenchmark):
# samples/s of the shipped gmm8 model with Euler K steps, of its int8 version (trainer quantize) and of its
# one-call euler:K graph (trainer export-sampler) and of the shipped reflow model with 1, 2 and 4 Euler steps,
# at n = 20000 and n = 100, 1 and 2 threads, each with its ratio to the fp32 runtime measured in the same run
# (quality of each route: models/README.md). K: STEPS (default 80). Run nothing else meanwhile.
set -euo pipefail
cd "$(dirname "$0")/.."
steps=${STEPS:-80}
dotnet build Pipeline.sln -c Release >/dev/null
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
trainer() { dotnet trainer/bin/Release/net10.0/trainer.dll "$@" 2>/dev/null; }
cp models/gmm8-int8.onnx "$out/gmm8-int8.onnx"
trainer export-sampler --model models/gmm8.onnx --steps "$steps" --out "$out/gmm8-euler$steps.onnx"
dotnet benchmarks/SamplingBenchmark/bin/Release/net10.0/SamplingBenchmark.dll \
  "models/gmm8.onnx=$steps" "$out/gmm8-int8.onnx=$steps" "$out/gmm8-euler$steps.onnx" \
  models/gmm8-reflow.onnx=1 models/gmm8-reflow.onnx=2 models/gmm8-reflow.onnx=4
