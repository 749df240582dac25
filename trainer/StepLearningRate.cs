namespace FlowMatching.Training;

/// <summary>
/// PyTorch's StepLR as a function of the step: the rate at (1-based) step s is lr gamma^floor((s - 1) / stepSize).
/// Being a pure function of the step, it resumes from a checkpoint with no scheduler state to restore.
/// </summary>
public sealed record StepLearningRate(double Initial, int StepSize, double Gamma)
{
    public double At(int step) => Initial * Math.Pow(Gamma, (step - 1) / StepSize);
}
