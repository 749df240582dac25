using FlowMatching.Errors;
using FlowMatching.Velocity;

namespace FlowMatching.Runtime.Integrators;

/// <summary>
/// Adaptive Dormand-Prince 5(4) (torchdiffeq's dopri5): fifth-order steps whose size is set from the
/// embedded fourth-order error estimate, with the error measured as the RMS over the batch of
/// err / (atol + rtol max(|x_old|, |x_new|)). The last stage is the next step's first (FSAL).
/// </summary>
public sealed class DormandPrince5Solver(Tolerances tolerances) : IOdeSolver
{
    private static readonly double[] C = [0, 1.0 / 5, 3.0 / 10, 4.0 / 5, 8.0 / 9, 1, 1];

    private static readonly double[][] A =
    [
        [],
        [1.0 / 5],
        [3.0 / 40, 9.0 / 40],
        [44.0 / 45, -56.0 / 15, 32.0 / 9],
        [19372.0 / 6561, -25360.0 / 2187, 64448.0 / 6561, -212.0 / 729],
        [9017.0 / 3168, -355.0 / 33, 46732.0 / 5247, 49.0 / 176, -5103.0 / 18656],
        [35.0 / 384, 0, 500.0 / 1113, 125.0 / 192, -2187.0 / 6784, 11.0 / 84],
    ];

    // Fifth-order weights are A[6] (and 0 for the seventh stage); E is their difference from the embedded
    // fourth-order weights 5179/57600, 0, 7571/16695, 393/640, -92097/339200, 187/2100, 1/40.
    private static readonly double[] E =
    [
        35.0 / 384 - 5179.0 / 57600, 0, 500.0 / 1113 - 7571.0 / 16695, 125.0 / 192 - 393.0 / 640,
        -2187.0 / 6784 + 92097.0 / 339200, 11.0 / 84 - 187.0 / 2100, -1.0 / 40,
    ];

    /// <summary>Accepted steps of the last solve.</summary>
    public int AcceptedSteps { get; private set; }

    /// <summary>Steps of the last solve whose error was too large and that were tried again smaller.</summary>
    public int RejectedSteps { get; private set; }

    public int Solve(IVelocityField field, Span<float> points, double from, double to, StepObserver? observer = null, CancellationToken cancellationToken = default)
    {
        int length = points.Length;
        var k = new float[7][];
        for (int s = 0; s < 7; s++)
        {
            k[s] = new float[length];
        }

        var y = new double[length];
        var next = new double[length];
        var stage = new float[length];
        for (int i = 0; i < length; i++)
        {
            y[i] = points[i];
        }

        double direction = Math.Sign(to - from);
        double t = from;
        double h = direction * Math.Min(Math.Abs(to - from), 0.01);
        field.Evaluate(t, points, k[0]);
        int evaluations = 1;
        AcceptedSteps = 0;
        RejectedSteps = 0;
        for (int attempt = 0; direction * (to - t) > 1e-12; attempt++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (attempt >= tolerances.MaxSteps)
            {
                throw new StepLimitException(tolerances.MaxSteps, t);
            }

            if (direction * (t + h - to) > 0)
            {
                h = to - t;
            }

            for (int s = 1; s < 7; s++)
            {
                for (int i = 0; i < length; i++)
                {
                    double sum = 0;
                    for (int j = 0; j < s; j++)
                    {
                        sum += A[s][j] * k[j][i];
                    }

                    next[i] = y[i] + h * sum;
                    stage[i] = (float)next[i];
                }

                field.Evaluate(t + C[s] * h, stage, k[s]);
                evaluations++;
            }

            double errorSquares = 0;
            // After the last stage, next holds the fifth-order solution at t + h.
            for (int i = 0; i < length; i++)
            {
                double error = 0;
                for (int j = 0; j < 7; j++)
                {
                    error += E[j] * k[j][i];
                }

                double scale = tolerances.Absolute + tolerances.Relative * Math.Max(Math.Abs(y[i]), Math.Abs(next[i]));
                errorSquares += (h * error / scale) * (h * error / scale);
            }

            double norm = Math.Sqrt(errorSquares / Math.Max(1, length));
            if (norm <= 1)
            {
                t += h;
                (y, next) = (next, y);
                (k[0], k[6]) = (k[6], k[0]);
                AcceptedSteps++;
                if (observer is not null)
                {
                    Copy(y, points);
                    observer(AcceptedSteps, t, points);
                }
            }
            else
            {
                RejectedSteps++;
            }

            double factor = norm == 0 ? 10 : 0.9 * Math.Pow(norm, -0.2);
            h *= Math.Clamp(factor, 0.2, 10);
        }

        Copy(y, points);
        return evaluations;
    }

    private static void Copy(double[] source, Span<float> destination)
    {
        for (int i = 0; i < source.Length; i++)
        {
            destination[i] = (float)source[i];
        }
    }
}
