namespace FlowMatching.Progress;

/// <summary>How far long work has come: units done of the total, and a short status (method, loss, rate).</summary>
public readonly record struct WorkProgress(long Done, long Total, string Status);
