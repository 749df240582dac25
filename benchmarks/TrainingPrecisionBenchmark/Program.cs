using System.Diagnostics;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

// Usage: TrainingPrecisionBenchmark [STEPS]: the tutorial's training step (MLP 3 -> 512 x 3 -> 2, ReLU, batch
// 2500, the interpolant loss, Adam) in fp32 and with autocast-style bf16 matrix products (fp32 master weights
// and activations, each layer's input, weight and bias cast to bf16 for the product and the result back to
// fp32), the median steps/s of 5 timed runs of STEPS steps after a warm-up; then the bare matrix product of one
// hidden layer, forward, in both precisions. Ratios are against fp32 in the same run.
int steps = args.Length > 0 ? int.Parse(args[0]) : 50;
const int batch = 2500;
double StepsPerSecond(bool bf16)
{
    random.manual_seed(0);
    Linear[] layers = [nn.Linear(3, 512), nn.Linear(512, 512), nn.Linear(512, 512), nn.Linear(512, 2)];
    var optimizer = optim.Adam(layers.SelectMany(l => l.parameters()), lr: 2e-3);
    Tensor Forward(Tensor input)
    {
        Tensor h = input;
        for (int i = 0; i < layers.Length; i++)
        {
            h = bf16
                ? nn.functional.linear(h.to(bfloat16), layers[i].weight!.to(bfloat16), layers[i].bias!.to(bfloat16)).to(float32)
                : layers[i].forward(h);
            h = i < layers.Length - 1 ? nn.functional.relu(h) : h;
        }

        return h;
    }

    void Run(int count)
    {
        for (int s = 0; s < count; s++)
        {
            using var scope = NewDisposeScope();
            Tensor x0 = randn(batch, 2), x1 = randn(batch, 2) * 5, t = rand(batch, 1);
            Tensor xt = (1 - t) * x0 + t * x1;
            Tensor b = Forward(cat([xt, t], 1));
            Tensor loss = (0.5 * b.pow(2).sum(1) - (b * (x1 - x0)).sum(1)).mean();
            optimizer.zero_grad();
            loss.backward();
            optimizer.step();
        }
    }

    Run(5);
    var rates = new List<double>();
    for (int r = 0; r < 5; r++)
    {
        var clock = Stopwatch.StartNew();
        Run(steps);
        rates.Add(steps / clock.Elapsed.TotalSeconds);
    }

    rates.Sort();
    return rates[2];
}

double ProductsPerSecond(ScalarType type)
{
    Tensor a = randn(batch, 512).to(type), w = randn(512, 512).to(type);
    for (int i = 0; i < 5; i++)
    {
        a.matmul(w).Dispose();
    }

    var clock = Stopwatch.StartNew();
    for (int i = 0; i < 200; i++)
    {
        a.matmul(w).Dispose();
    }

    return 200 / clock.Elapsed.TotalSeconds;
}

Console.WriteLine($"torch threads {get_num_threads()}, {steps} steps a run");
double fp32 = StepsPerSecond(bf16: false), bf = StepsPerSecond(bf16: true);
Console.WriteLine($"{"training step, MLP 3x512 batch 2500",-44} fp32 {fp32,8:F2} steps/s  bf16 {bf,8:F2} steps/s  bf16/fp32 {bf / fp32:F2}x");
double p32 = ProductsPerSecond(float32), p16 = ProductsPerSecond(bfloat16);
Console.WriteLine($"{"matmul [2500,512] x [512,512]",-44} fp32 {p32,8:F1} /s       bf16 {p16,8:F1} /s       bf16/fp32 {p16 / p32:F2}x");
