using FlowMatching.Distributions;

namespace FlowMatching.Training.Training;

/// <summary>
/// What a run trains on: the target, standardised column by column when it is the user's CSV data
/// (the mean and std go into the model contract so the runtime can map back).
/// </summary>
public sealed record TrainingData(IDistribution Target, Standardization? Scaling)
{
    public static TrainingData Load(string target)
    {
        IDistribution distribution = TargetCatalog.Parse(target);
        if (distribution is not EmpiricalDistribution data)
        {
            return new TrainingData(distribution, null);
        }

        Standardization scaling = Standardization.Fit(data.Points, target[TargetCatalog.CsvPrefix.Length..]);
        return new TrainingData(new EmpiricalDistribution(data.Name, scaling.Apply(data.Points)), scaling);
    }
}
