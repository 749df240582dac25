using FlowMatching.Contract;
using FlowMatching.Errors;

namespace FlowMatching.Runtime.Options;

/// <summary>Which class each sample of a class-conditional model is drawn for; a sample's class depends only on its index.</summary>
public abstract record ClassSelection
{
    /// <summary>The null class: the unconditional field.</summary>
    public static ClassSelection None { get; } = new NoClass();

    /// <summary>Every class in turn: sample i is drawn for class i mod K, so any count of K samples is balanced.</summary>
    public static ClassSelection All { get; } = new EveryClass();

    public static ClassSelection Of(int value) => new OneClass(value);

    /// <summary>Each sample's class from a list (labels from a file): sample <paramref name="first"/> + i takes labels[i].</summary>
    public static ListedClasses Listed(IReadOnlyList<long> labels, long first = 0) => new(labels, first);

    public abstract long ClassOf(long index, int classes);

    private sealed record NoClass : ClassSelection
    {
        public override long ClassOf(long index, int classes) => classes;
    }

    private sealed record EveryClass : ClassSelection
    {
        public override long ClassOf(long index, int classes) => index % classes;
    }

    private sealed record OneClass(int Value) : ClassSelection
    {
        public override long ClassOf(long index, int classes) => Value < classes
            ? Value
            : throw new InvalidSettingException("Class", $"{Value} is not a class of this model (0 to {classes - 1})");
    }
}

/// <summary>The classes of samples <see cref="First"/> onward, one per sample, as a file of labels gives them.</summary>
public sealed record ListedClasses(IReadOnlyList<long> Labels, long First) : ClassSelection
{
    public override long ClassOf(long index, int classes)
    {
        long i = index - First;
        if (i < 0 || i >= Labels.Count)
        {
            throw new InvalidSettingException("Labels", $"list {Labels.Count} classes for samples {First} to {First + Labels.Count - 1}, and sample {index} was asked for");
        }

        return Labels[(int)i] is var label && label >= 0 && label < classes
            ? label
            : throw new InvalidSettingException("Labels", $"the label {label} at index {i} is not a class of this model (0 to {classes - 1})");
    }

    /// <summary>Checks every label against the model's classes up front, naming the first one out of range.</summary>
    public void Validate(int classes)
    {
        for (int i = 0; i < Labels.Count; i++)
        {
            ClassOf(First + i, classes);
        }
    }
}

/// <summary>
/// Classifier-free guidance of a class-conditional model: v = v_uncond + w (v_cond - v_uncond), both halves in
/// one batched call. w = 1 is the conditional field alone, w = 0 the unconditional one. With an
/// <see cref="Interval"/>, w applies only at the times in it and the conditional field alone (w = 1) elsewhere.
/// A null <see cref="Guidance"/> or <see cref="Interval"/> is the model's recommendation for samples of a class
/// (when sampling follows it), else w = 1 and every t.
/// </summary>
public sealed record Conditioning(ClassSelection Classes, double? Guidance = null, GuidanceInterval? Interval = null)
{
    /// <summary>The guidance scale at time t.</summary>
    public double GuidanceAt(double t) => Interval is null || Interval.Contains(t) ? Guidance ?? 1.0 : 1.0;

    /// <summary>Whether any sample is guided at any time.</summary>
    public bool IsGuided => Guidance is { } w && w != 1 && Classes != ClassSelection.None;

    public void Validate()
    {
        if (Guidance is { } w && !(w >= 0 && w <= 100))
        {
            throw new InvalidSettingException(nameof(Guidance), $"must be between 0 and 100, not {Guidance}");
        }

        if (Classes == ClassSelection.None && (Guidance is not (null or 1) || Interval is not null))
        {
            // The null class's samples have no class to guide toward: a scale or interval would change nothing.
            throw new InvalidSettingException(Guidance is not (null or 1) ? nameof(Guidance) : nameof(Interval), "applies only to samples of a class; unconditional samples are not guided");
        }

        if (Interval is { IsValid: false })
        {
            throw new InvalidSettingException(nameof(Interval), $"must lie in [0, 1] with FROM < TO, not {Interval}");
        }
    }
}
