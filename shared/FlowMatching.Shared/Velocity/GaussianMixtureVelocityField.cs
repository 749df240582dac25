using FlowMatching.Distributions;
using FlowMatching.Interpolants;

namespace FlowMatching.Velocity;

/// <summary>
/// The exact velocity b_t(x) = E[dI_t/dt | I_t = x] for base N(0, I) and an isotropic Gaussian-mixture
/// target. Given component k, (x0, I_t) is jointly Gaussian: I_t ~ N(beta mu_k, v_k I) with
/// v_k = alpha^2 + beta^2 s_k^2, and E[dI/dt | I_t = x, k] = beta' mu_k + (alpha alpha' + beta beta' s_k^2) / v_k (x - beta mu_k).
/// The field is these conditional means weighted by the posterior over components.
/// </summary>
public sealed class GaussianMixtureVelocityField(GaussianMixture mixture, IInterpolant interpolant) : IVelocityField
{
    public int Dimension => mixture.Dimension;

    public void Evaluate(double t, ReadOnlySpan<float> points, Span<float> velocity)
    {
        int d = Dimension;
        int k = mixture.Components.Count;
        double a = interpolant.Alpha(t), b = interpolant.Beta(t), da = interpolant.AlphaDot(t), db = interpolant.BetaDot(t);
        Span<double> logWeights = stackalloc double[k];
        Span<double> variances = stackalloc double[k];
        for (int c = 0; c < k; c++)
        {
            double s2 = mixture.Components[c].Std * mixture.Components[c].Std;
            variances[c] = a * a + b * b * s2;
        }

        for (int offset = 0; offset < points.Length; offset += d)
        {
            ReadOnlySpan<float> x = points.Slice(offset, d);
            for (int c = 0; c < k; c++)
            {
                double[] mu = mixture.Components[c].Mean;
                double squared = 0;
                for (int j = 0; j < d; j++)
                {
                    double r = x[j] - b * mu[j];
                    squared += r * r;
                }

                logWeights[c] = mixture.LogWeights[c] - 0.5 * squared / variances[c] - 0.5 * d * Math.Log(variances[c]);
            }

            double normaliser = GaussianMixture.LogSumExp(logWeights);
            for (int j = 0; j < d; j++)
            {
                double sum = 0;
                for (int c = 0; c < k; c++)
                {
                    MixtureComponent component = mixture.Components[c];
                    double gain = (a * da + b * db * component.Std * component.Std) / variances[c];
                    sum += Math.Exp(logWeights[c] - normaliser) * (db * component.Mean[j] + gain * (x[j] - b * component.Mean[j]));
                }

                velocity[offset + j] = (float)sum;
            }
        }
    }
}
