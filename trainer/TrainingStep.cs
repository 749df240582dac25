namespace FlowMatching.Training;

/// <summary>What one optimisation step reports: its 1-based index, loss, the learning rate it used, and the validation loss when measured.</summary>
public sealed record TrainingStep(int Step, double Loss, double LearningRate, double? ValidationLoss);
