#!/usr/bin/env bash
# The C# GPU check of the runtime (README, "GPU"): the shipped models sampled by this runtime on ONNX Runtime's
# CPU and CUDA providers, ODE Euler 80 and SDE, 20000 points, same seeds; prints the largest difference
# (expected <= 1e-4 for the ODE), the time of each run, and which CUDA/cuDNN libraries ONNX Runtime needed
# and found. The GPU machine has no .NET and at most 64 MiB reach it per run, so the check travels in parts:
#
#   scripts/device-check.sh prepare          # here: self-contained publish + the CUDA provider, split in
#                                            # build/device/part-*.zst (each under 60 MiB)
#   scripts/device-check.sh receive K        # there, once per part, runs back to back (its /tmp is kept
#                                            # about 30 s): appends part K to /tmp/flowmatch-device
#   scripts/device-check.sh run              # there, after the last part: unpacks and checks
#
# The device tool's `carry` sends build/device/part-K.zst with the K-th `receive`. Not run yet: no GPU was
# lent to the session that wrote it (see the README).
set -euo pipefail
cd "$(dirname "$0")/.."
stage=/tmp/flowmatch-device
parts=build/device

case "${1:-}" in
prepare)
    rm -rf "$parts" && mkdir -p "$parts"
    dotnet publish runtime/flowmatch/flowmatch.csproj -c Release -r linux-x64 --self-contained -o "$parts/publish" >/dev/null
    tar -C "$parts/publish" -cf - . | zstd -12 -T0 -q -o "$parts/bundle.tar.zst"
    split -b 60M -d -a 1 "$parts/bundle.tar.zst" "$parts/part-"
    for p in "$parts"/part-?; do mv "$p" "$p.zst"; done
    rm -rf "$parts/publish" "$parts/bundle.tar.zst"
    ls -l "$parts"
    ;;
receive)
    mkdir -p "$stage"
    cat "$parts/part-$2.zst" >> "$stage/bundle.tar.zst"
    echo "received part $2: $(stat -c %s "$stage/bundle.tar.zst") bytes so far"
    ;;
run)
    mkdir -p "$stage/app"
    zstd -d -q -c "$stage/bundle.tar.zst" | tar -C "$stage/app" -xf -
    # CUDA 13 and cuDNN ship as Python packages there: put their lib folders on the loader's path.
    for lib in $(python3 -c 'import site; print(" ".join(site.getsitepackages()))' 2>/dev/null); do
        for d in "$lib"/nvidia/*/lib; do [[ -d "$d" ]] && LD_LIBRARY_PATH="${LD_LIBRARY_PATH:-}:$d"; done
    done
    export LD_LIBRARY_PATH
    echo "== libraries the CUDA provider needs, as the loader resolves them"
    ldd "$stage/app/libonnxruntime_providers_cuda.so" | grep -E 'cu|nv' || true
    out="${OUT:-$stage/out}"
    mkdir -p "$out"
    for model in gmm8 checkerboard; do
        for sampler in ode sde; do
            for provider in cpu cuda; do
                start=$(date +%s.%N)
                "$stage/app/runtime" sample --model "models/$model.onnx" --sampler "$sampler" --n 20000 --seed 0 \
                    --provider "$provider" --out "$out/$model-$sampler-$provider.csv" --force 2>"$out/$model-$sampler-$provider.log" \
                    || { echo "$model $sampler $provider: FAILED: $(tail -n 1 "$out/$model-$sampler-$provider.log")"; continue; }
                echo "$model $sampler $provider: $(echo "$(date +%s.%N) - $start" | bc) s ($(grep -o 'ONNX Runtime [A-Z]*' "$out/$model-$sampler-$provider.log" | head -n 1))"
            done
            paste -d, "$out/$model-$sampler-cpu.csv" "$out/$model-$sampler-cuda.csv" 2>/dev/null | tail -n +2 |
                awk -F, -v what="$model $sampler" '{ for (i = 1; i <= NF / 2; i++) { d = $i - $(i + NF / 2); if (d < 0) d = -d; if (d > m) m = d } }
                    END { printf "%s: largest |cpu - cuda| = %.3g\n", what, m }'
        done
    done
    ;;
*)
    echo "usage: scripts/device-check.sh prepare | receive K | run" >&2
    exit 2
    ;;
esac
