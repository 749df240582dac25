"""Checks to run on the GPU device machine (Python with PyTorch, onnxruntime and, where present, onnx).

    python3 scripts/device-check.py [OUT_DIR]

1. The onnx checker on the shipped models.
2. ONNX Runtime CUDA provider against the CPU provider on the shipped gmm8 model: max difference and
   timings of 80 Euler steps for 20000 points.
3. torch.onnx.export of the tutorial's network (inputs x [N, 2], t [N]) to OUT_DIR/torch-tutorial.onnx,
   so that `flowmatch sample --model OUT_DIR/torch-tutorial.onnx` can be tried back on the dev machine.
Prints one line per result. Not run yet: no device was lent to the session that wrote it.
"""
import os
import sys
import time

import numpy as np

out = sys.argv[1] if len(sys.argv) > 1 else os.environ.get("OUT", "out")
os.makedirs(out, exist_ok=True)
models = ["models/gmm8.onnx", "models/checkerboard.onnx"]

try:
    import onnx
    for path in models:
        onnx.checker.check_model(onnx.load(path), full_check=True)
        print(f"onnx checker: {path} ok (onnx {onnx.__version__})")
except ImportError:
    print("onnx checker: the onnx package is not installed here")

import onnxruntime as ort
print(f"onnxruntime {ort.__version__}, providers {ort.get_available_providers()}")
rng = np.random.default_rng(0)
x0 = rng.standard_normal((20000, 2)).astype(np.float32)
results = {}
for provider in ["CPUExecutionProvider", "CUDAExecutionProvider"]:
    try:
        session = ort.InferenceSession(models[0], providers=[provider])
    except Exception as error:  # the provider may not load
        print(f"{provider}: does not load ({error})")
        continue
    x = x0.copy()
    session.run(["v"], {"x": x, "t": np.zeros(len(x), np.float32)})
    start = time.perf_counter()
    for k in range(80):
        v = session.run(["v"], {"x": x, "t": np.full(len(x), k / 80, np.float32)})[0]
        x = x + v / 80
    elapsed = time.perf_counter() - start
    results[provider] = x
    print(f"{provider}: 80 Euler steps on 20000 points in {elapsed:.3f} s ({session.get_providers()[0]})")
if len(results) == 2:
    print(f"CUDA vs CPU max |difference| after 80 steps: {np.abs(results['CPUExecutionProvider'] - results['CUDAExecutionProvider']).max():.3g}")

import torch


class VelocityField(torch.nn.Module):
    """The tutorial's network without vmap: [x, t] -> MLP -> v."""

    def __init__(self, d=2, hidden=(512, 512, 512)):
        super().__init__()
        layers, width = [], d + 1
        for size in hidden:
            layers += [torch.nn.Linear(width, size), torch.nn.ReLU()]
            width = size
        layers.append(torch.nn.Linear(width, d))
        self.net = torch.nn.Sequential(*layers)

    def forward(self, x, t):
        return self.net(torch.cat((x, t.unsqueeze(-1)), dim=-1))


torch.manual_seed(0)
net = VelocityField()
path = os.path.join(out, "torch-tutorial.onnx")
torch.onnx.export(net, (torch.randn(4, 2), torch.rand(4)), path, input_names=["x", "t"], output_names=["v"],
                  dynamic_axes={"x": {0: "N"}, "t": {0: "N"}, "v": {0: "N"}}, opset_version=17, dynamo=False)
session = ort.InferenceSession(path, providers=["CPUExecutionProvider"])
x, t = torch.randn(1000, 2), torch.rand(1000)
difference = np.abs(session.run(None, {"x": x.numpy(), "t": t.numpy()})[0] - net(x, t).detach().numpy()).max()
print(f"torch.onnx.export: wrote {path}; ORT vs torch max |difference| {difference:.3g}")
