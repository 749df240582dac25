namespace FlowMatching.Training;

/// <summary>
/// Where a reflow run's couplings come from: <see cref="Pairs"/> noise points pushed through the teacher
/// model's ODE with <see cref="Steps"/> Runge-Kutta 4 steps.
/// </summary>
public sealed record ReflowTeacher(string Path, int Pairs = ReflowTeacher.DefaultPairs, int Steps = ReflowTeacher.DefaultSteps)
{
    public const int DefaultPairs = 50_000;
    public const int DefaultSteps = 100;

    public override string ToString() => $"{System.IO.Path.GetFileName(Path)} rk4:{Steps} pairs:{Pairs}";
}
