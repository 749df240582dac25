namespace FlowMatching.Metrics;

/// <summary>Energy distance and squared MMD between two point sets, with the value each is expected to take when both come from the same distribution.</summary>
public readonly record struct Discrepancy(double Energy, double Mmd, (double Energy, double Mmd) Floor);
