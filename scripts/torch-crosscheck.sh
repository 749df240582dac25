#!/usr/bin/env bash
# Cross-checks flowmatch against PyTorch on a model it did not make: scripts/torch-crosscheck.py builds and
# exports a conditional U-Net and integrates Euler 40 in PyTorch at guidance 1 and 2; flowmatch samples the same
# noise and labels, by flags (--classes 10) and after annotate, and the largest difference is printed.
# Needs Debian's python3-torch (apt-get install python3-torch); not part of the test suite.
set -euo pipefail
cd "$(dirname "$0")/.."
out=out/torch-crosscheck
rm -rf "$out" && mkdir -p "$out"
python=${PYTHON:-/usr/bin/python3}   # Debian's, which has python3-torch and python3-numpy
"$python" scripts/torch-crosscheck.py "$out"
dotnet build runtime/flowmatch -c Release >/dev/null
flowmatch() { dotnet runtime/flowmatch/bin/Release/net10.0/flowmatch.dll "$@"; }
flowmatch annotate --model "$out/unet.onnx" --classes 10 --out "$out/annotated.onnx"
for guidance in 1 2; do
  common=(--init "$out/noise.npy" --labels "$out/labels.npy" --guidance "$guidance" --method euler --steps 40 --provider cpu)
  flowmatch sample --model "$out/unet.onnx" --classes 10 "${common[@]}" --out "$out/flags-g$guidance.npy" 2>/dev/null
  flowmatch sample --model "$out/annotated.onnx" "${common[@]}" --out "$out/annotated-g$guidance.npy" 2>/dev/null
  "$python" - "$out" "$guidance" <<'PY'
import sys
import numpy as np
out, g = sys.argv[1], sys.argv[2]
torch = np.load(f"{out}/torch-g{g}.npy")
for route in ("flags", "annotated"):
    ours = np.load(f"{out}/{route}-g{g}.npy")
    worst = float(np.abs(ours - torch).max())
    print(f"guidance {g}, {route:9s}: max |flowmatch - torch| = {worst:.2e} over {torch.size} values ({'within' if worst <= 1e-3 else 'OUTSIDE'} 1e-3)")
    if worst > 1e-3:
        sys.exit(1)
PY
done
