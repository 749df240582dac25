#!/usr/bin/env python3
"""PyTorch side of the cross-check (scripts/torch-crosscheck.sh): a small class-conditional U-Net with random
weights, exported by torch.onnx.export at opset 17 (x[N,1,28,28], t[N], y[N] int64 -> v), noise and labels drawn
here, and Euler 40 steps integrated in PyTorch at guidance 1 and 2. Writes into the folder given as argument."""
import math
import sys

import numpy as np
import torch
from torch import nn

CLASSES, STEPS, COUNT = 10, 40, 16


class Block(nn.Module):
    def __init__(self, cin, cout, emb):
        super().__init__()
        self.norm1, self.conv1 = nn.GroupNorm(4, cin), nn.Conv2d(cin, cout, 3, padding=1)
        self.emb = nn.Linear(emb, cout)
        self.norm2, self.conv2 = nn.GroupNorm(4, cout), nn.Conv2d(cout, cout, 3, padding=1)
        self.skip = nn.Conv2d(cin, cout, 1) if cin != cout else nn.Identity()

    def forward(self, x, e):
        h = self.conv1(nn.functional.silu(self.norm1(x))) + self.emb(e)[:, :, None, None]
        return self.skip(x) + self.conv2(nn.functional.silu(self.norm2(h)))


class UNet(nn.Module):
    """Two levels (28 and 14), sinusoidal time features, a class embedding of K + 1 rows (row K: no class)."""

    def __init__(self, width=16, emb=32):
        super().__init__()
        self.freqs = torch.exp(-math.log(1000.0) * torch.arange(8) / 8)
        self.time = nn.Sequential(nn.Linear(16, emb), nn.SiLU(), nn.Linear(emb, emb))
        self.label = nn.Embedding(CLASSES + 1, emb)
        self.inp = nn.Conv2d(1, width, 3, padding=1)
        self.down, self.mid = Block(width, width, emb), Block(2 * width, 2 * width, emb)
        self.pool, self.widen = nn.AvgPool2d(2), nn.Conv2d(width, 2 * width, 1)
        self.up = nn.Upsample(scale_factor=2, mode="nearest")
        self.out_block = Block(3 * width, width, emb)
        self.out = nn.Conv2d(width, 1, 3, padding=1)

    def forward(self, x, t, y):
        angles = t[:, None] * self.freqs[None, :] * 100.0
        e = self.time(torch.cat([torch.sin(angles), torch.cos(angles)], dim=1)) + self.label(y)
        h1 = self.down(self.inp(x), e)
        h2 = self.mid(self.widen(self.pool(h1)), e)
        return self.out(nn.functional.silu(self.out_block(torch.cat([h1, self.up(h2)], dim=1), e)))


def euler(net, x, y, guidance):
    none = torch.full_like(y, CLASSES)
    for k in range(STEPS):
        t = torch.full((x.shape[0],), k / STEPS)
        conditional, unconditional = net(x, t, y), net(x, t, none)
        x = x + (unconditional + guidance * (conditional - unconditional)) / STEPS
    return x


def main(folder):
    torch.manual_seed(0)
    net = UNet().eval()
    x, t, y = torch.randn(2, 1, 28, 28), torch.rand(2), torch.tensor([1, CLASSES])
    torch.onnx.export(net, (x, t, y), f"{folder}/unet.onnx", opset_version=17, input_names=["x", "t", "y"], output_names=["v"],
                      dynamic_axes={"x": {0: "N"}, "t": {0: "N"}, "y": {0: "N"}, "v": {0: "N"}})
    rng = np.random.default_rng(1)
    noise = rng.standard_normal((COUNT, 1, 28, 28))  # float64, as NumPy draws it
    labels = rng.integers(0, CLASSES, COUNT)          # int64
    np.save(f"{folder}/noise.npy", noise)
    np.save(f"{folder}/labels.npy", labels)
    with torch.no_grad():
        start = torch.from_numpy(noise).float()
        for guidance in (1, 2):
            result = euler(net, start, torch.from_numpy(labels), float(guidance)).numpy()
            np.save(f"{folder}/torch-g{guidance}.npy", result.astype(np.float32))
            print(f"torch: guidance {guidance}: {COUNT} images, values from {result.min():.3f} to {result.max():.3f}")


if __name__ == "__main__":
    main(sys.argv[1])
