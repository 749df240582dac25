using System.Diagnostics;
using FlowMatching.Runtime;
using FlowMatching.Runtime.Options;

// Usage: SamplingBenchmark MODEL.onnx[=STEPS] ... : for every model, samples/s at n = 20000 and n = 100 on 1 and
// 2 threads, the median of REPEATS timed calls after one warm-up; a model given as PATH=K is sampled with
// Euler K steps (a velocity field), a sampler graph with its own unrolled steps. The first model is the baseline
// of the ratio column.
int repeats = int.TryParse(Environment.GetEnvironmentVariable("REPEATS"), out int r) ? r : 5;
int chunk = int.TryParse(Environment.GetEnvironmentVariable("CHUNK"), out int c0) ? c0 : SamplingOptions.DefaultChunk;
var rows = new List<(string Model, int N, int Threads, double Rate)>();
foreach (string spec in args)
{
    string[] parts = spec.Split('=');
    foreach (int threads in new[] { 1, 2 })
    {
        using FlowModel model = FlowModel.Load(parts[0], new ModelLoadOptions { Provider = ExecutionProviderKind.Cpu, Threads = threads });
        var options = new OdeSamplingOptions { Solver = new OdeSolverOptions { Steps = parts.Length > 1 ? int.Parse(parts[1]) : null }, Chunk = chunk };
        foreach (int n in new[] { 20000, 100 })
        {
            int calls = n == 100 ? 50 : 1;
            model.Sample(n, options);
            var times = new List<double>();
            for (int i = 0; i < repeats; i++)
            {
                var clock = Stopwatch.StartNew();
                for (int c = 0; c < calls; c++)
                {
                    model.Sample(n, options, seed: c);
                }

                times.Add(clock.Elapsed.TotalSeconds / calls);
            }

            times.Sort();
            rows.Add((spec, n, threads, n / times[times.Count / 2]));
        }
    }
}

Console.WriteLine($"{"model",-48} {"n",6} {"threads",7} {"samples/s",12} {"vs first",9}");
foreach (var row in rows)
{
    double baseline = rows.First(b => b.N == row.N && b.Threads == row.Threads).Rate;
    Console.WriteLine($"{row.Model,-48} {row.N,6} {row.Threads,7} {row.Rate,12:F0} {row.Rate / baseline,8:F2}x");
}
