"""The PyTorch side of scripts/benchmark-vs-pytorch.sh: a U-Net of the trainer's design and width (trainer/Network/
UNet.cs and ResidualBlock.cs, module for module), trained with the same loss, Adam, label dropout and weight average
on Fashion-MNIST, and sampled with Euler 40 steps (classifier-free guidance as one doubled batch). Prints one JSON
line per measurement. Usage: benchmark-vs-pytorch.py train BATCH STEPS | sample GUIDANCE N | facts."""
import gzip, json, math, sys, time
import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

torch.set_num_threads(2)
CHANNELS, CLASSES, EMB, GROUPS = [32, 64, 64], 10, 128, 8


class Block(nn.Module):
    def __init__(self, cin, cout):
        super().__init__()
        self.norm1, self.conv1 = nn.GroupNorm(GROUPS, cin), nn.Conv2d(cin, cout, 3, padding=1)
        self.embedding = nn.Linear(EMB, cout)
        self.norm2, self.conv2 = nn.GroupNorm(GROUPS, cout), nn.Conv2d(cout, cout, 3, padding=1)
        self.skip = None if cin == cout else nn.Conv2d(cin, cout, 1)

    def forward(self, x, e):
        h = self.conv1(F.silu(self.norm1(x))) + self.embedding(F.silu(e))[:, :, None, None]
        h = self.conv2(F.silu(self.norm2(h)))
        return (x if self.skip is None else self.skip(x)) + h


class UNet(nn.Module):
    def __init__(self):
        super().__init__()
        c = CHANNELS
        half = max(8, c[0] // 2)
        self.register_buffer("frequencies", torch.tensor([1000 * math.exp(-math.log(10000) * k / half) for k in range(half)]))
        self.input = nn.Conv2d(1, c[0], 3, padding=1)
        self.time1, self.time2 = nn.Linear(2 * half, EMB), nn.Linear(EMB, EMB)
        self.classes = nn.Embedding(CLASSES + 1, EMB)
        self.down = nn.ModuleList([Block(c[0] if l == 0 else c[l - 1], c[l]) for l in range(len(c) - 1)])
        self.downsample = nn.ModuleList([nn.Conv2d(c[l], c[l], 3, stride=2, padding=1) for l in range(len(c) - 1)])
        self.middle = nn.ModuleList([Block(c[-2], c[-1]), Block(c[-1], c[-1])])
        self.up = nn.ModuleList([Block((c[-1] if l == len(c) - 2 else c[l + 1]) + c[l], c[l]) for l in reversed(range(len(c) - 1))])
        self.output_norm, self.output = nn.GroupNorm(GROUPS, c[0]), nn.Conv2d(c[0], 1, 3, padding=1)

    def forward(self, x, t, y):
        angles = t[:, None] * self.frequencies[None]
        e = self.time2(F.silu(self.time1(torch.cat([angles.sin(), angles.cos()], 1)))) + self.classes(y)
        h, skips = self.input(x), []
        for block, down in zip(self.down, self.downsample):
            h = block(h, e)
            skips.append(h)
            h = down(h)
        for block in self.middle:
            h = block(h, e)
        for block in self.up:
            h = block(torch.cat([F.interpolate(h, scale_factor=2, mode="nearest"), skips.pop()], 1), e)
        return self.output(F.silu(self.output_norm(h)))


def fashion():
    with gzip.open("/usr/share/datasets/fashion-mnist/train-images-idx3-ubyte.gz") as f:
        images = np.frombuffer(f.read(), np.uint8, offset=16).reshape(-1, 1, 28, 28)
    with gzip.open("/usr/share/datasets/fashion-mnist/train-labels-idx1-ubyte.gz") as f:
        labels = np.frombuffer(f.read(), np.uint8, offset=8)
    return torch.from_numpy(images.astype(np.float32) / 127.5 - 1), torch.from_numpy(labels.astype(np.int64))


def train(batch, steps):
    torch.manual_seed(0)
    images, labels = fashion()
    model = UNet()
    average = [p.detach().clone() for p in model.parameters()]
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
    generator = torch.Generator().manual_seed(0)
    start = time.perf_counter()
    for _ in range(steps):
        index = torch.randint(len(images), (batch,), generator=generator)
        x1, y = images[index], labels[index].clone()
        y[torch.rand(batch, generator=generator) < 0.2] = CLASSES
        x0 = torch.randn(x1.shape, generator=generator)
        t = torch.rand(batch, generator=generator)
        tt = t[:, None, None, None]
        b = model(x0 * (1 - tt) + x1 * tt, t, y)
        loss = (0.5 * b.pow(2).flatten(1).sum(1) - ((x1 - x0) * b).flatten(1).sum(1)).mean()
        optimizer.zero_grad(set_to_none=True)
        loss.backward()
        optimizer.step()
        with torch.no_grad():
            torch._foreach_mul_(average, 0.999)
            torch._foreach_add_(average, [p.detach() for p in model.parameters()], alpha=0.001)
    seconds = time.perf_counter() - start
    print(json.dumps({"side": "torch", "what": f"train b{batch}", "seconds": seconds, "steps_per_s": steps / seconds, "loss": loss.item()}))


@torch.inference_mode()
def sample(guidance, n, steps=40, chunk=50):
    # In chunks of 50 images: this PyTorch build slows down on large batches (models/README.md), and the baseline
    # should be PyTorch at its best.
    torch.manual_seed(0)
    model = UNet().eval()
    start = time.perf_counter()
    for first in range(0, n, chunk):
        integrate(model, guidance, min(chunk, n - first), steps)
    seconds = time.perf_counter() - start
    print(json.dumps({"side": "torch", "what": f"sample g{guidance:g}", "seconds": seconds, "images_per_s": n / seconds}))


def integrate(model, guidance, n, steps):
    x = torch.randn(n, 1, 28, 28)
    y = torch.arange(n) % CLASSES
    for i in range(steps):
        t = torch.full((n,), i / steps)
        if guidance == 1:
            v = model(x, t, y)
        else:
            both = model(torch.cat([x, x]), torch.cat([t, t]), torch.cat([y, torch.full_like(y, CLASSES)]))
            v = both[n:] + guidance * (both[:n] - both[n:])
        x = x + v / steps
    return x


def facts():
    model = UNet()
    flops = []

    def count(module, inputs, output):
        if isinstance(module, nn.Conv2d):
            flops.append(2 * output.numel() * module.in_channels * module.kernel_size[0] * module.kernel_size[1] // module.groups)
        elif isinstance(module, nn.Linear):
            flops.append(2 * output.numel() * module.in_features)

    for m in model.modules():
        m.register_forward_hook(count)
    with torch.no_grad():
        model(torch.zeros(1, 1, 28, 28), torch.zeros(1), torch.zeros(1, dtype=torch.long))
    a, b = torch.randn(1024, 1024), torch.randn(1024, 1024)
    for _ in range(3):
        a @ b
    start, reps = time.perf_counter(), 40
    for _ in range(reps):
        a @ b
    matmul = 2 * 1024 ** 3 * reps / (time.perf_counter() - start) / 1e9
    print(json.dumps({"side": "torch", "what": "facts", "parameters": sum(p.numel() for p in model.parameters()),
                      "mflop_per_image": sum(flops) / 1e6, "matmul_gflops": matmul, "torch": torch.__version__, "threads": torch.get_num_threads()}))


if __name__ == "__main__":
    {"train": lambda: train(int(sys.argv[2]), int(sys.argv[3])), "sample": lambda: sample(float(sys.argv[2]), int(sys.argv[3])), "facts": facts}[sys.argv[1]]()
