#!/usr/bin/env bash
# The one-call sampler graph against the step-by-step runtime, in-process (benchmarks/SamplingBenchmark):
# samples/s of the shipped gmm8 model with Euler K steps and of its euler:K graph, n = 20000 and n = 100,
# 1 and 2 threads, with the ratio to the step-by-step runtime measured in the same run. K: STEPS (default 80).
set -euo pipefail
cd "$(dirname "$0")/.."
steps=${STEPS:-80}
dotnet build Pipeline.sln -c Release >/dev/null
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
dotnet trainer/bin/Release/net10.0/trainer.dll export-sampler --model models/gmm8.onnx --steps "$steps" --out "$out/gmm8-euler$steps.onnx" 2>/dev/null
dotnet benchmarks/SamplingBenchmark/bin/Release/net10.0/SamplingBenchmark.dll "models/gmm8.onnx=$steps" "$out/gmm8-euler$steps.onnx"
