using System.Diagnostics;
using FlowMatching.Runtime;
using FlowMatching.Runtime.Options;

// Usage: SamplingBenchmark MODEL.onnx[=STEPS] ... : for every model, samples/s at n = 20000 and n = 100 (or the sizes
// in SIZES, comma-separated) on 1 and 2 threads, the median of REPEATS timed calls after one warm-up; a model given as PATH=K is sampled with
// Euler K steps (a velocity field), a sampler graph with its own unrolled steps. The first model is the baseline
// of the ratio column. The models take turns within each repeat, so a slow spell of the machine falls on all of
// them rather than on whichever ran then.
int repeats = int.TryParse(Environment.GetEnvironmentVariable("REPEATS"), out int r) ? r : 5;
int chunk = int.TryParse(Environment.GetEnvironmentVariable("CHUNK"), out int c0) ? c0 : SamplingOptions.DefaultChunk;
int[] sizes = (Environment.GetEnvironmentVariable("SIZES") ?? "20000,100").Split(',').Select(int.Parse).ToArray();
var rows = new List<(string Model, int N, int Threads, double Rate)>();
foreach (int threads in new[] { 1, 2 })
{
    var models = args.Select(spec => spec.Split('=')).Select(parts => (
        Model: FlowModel.Load(parts[0], new ModelLoadOptions { Provider = ExecutionProviderKind.Cpu, Threads = threads }),
        Options: new OdeSamplingOptions { Solver = new OdeSolverOptions { Steps = parts.Length > 1 ? int.Parse(parts[1]) : null }, Chunk = chunk })).ToList();
    foreach (int n in sizes)
    {
        int calls = Math.Max(1, 5000 / n);
        var times = models.Select(_ => new List<double>()).ToList();
        foreach (var (model, options) in models)
        {
            model.Sample(n, options);
        }

        for (int i = 0; i < repeats; i++)
        {
            for (int m = 0; m < models.Count; m++)
            {
                var clock = Stopwatch.StartNew();
                for (int c = 0; c < calls; c++)
                {
                    models[m].Model.Sample(n, models[m].Options, seed: c);
                }

                times[m].Add(clock.Elapsed.TotalSeconds / calls);
            }
        }

        for (int m = 0; m < models.Count; m++)
        {
            times[m].Sort();
            rows.Add((args[m], n, threads, n / times[m][times[m].Count / 2]));
        }
    }

    models.ForEach(m => m.Model.Dispose());
}

rows = [.. rows.OrderBy(row => Array.IndexOf(args, row.Model)).ThenBy(row => row.Threads).ThenByDescending(row => row.N)];
Console.WriteLine($"{"model",-48} {"n",6} {"threads",7} {"samples/s",12} {"vs first",9}");
foreach (var row in rows)
{
    double baseline = rows.First(b => b.N == row.N && b.Threads == row.Threads).Rate;
    Console.WriteLine($"{row.Model,-48} {row.N,6} {row.Threads,7} {row.Rate,12:F0} {row.Rate / baseline,8:F2}x");
}
