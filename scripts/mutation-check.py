"""Puts each bug that issue 15 names into the code by hand, runs the tests meant to catch it, prints CAUGHT or NOT CAUGHT, and restores the file.

    python3 scripts/mutation-check.py     (from the repository root; about 5 minutes)
"""
import subprocess, sys
muts = [
 ("dopri5 FSAL lost", "runtime/FlowMatching.Runtime/Integrators/DormandPrince5Solver.cs", "(k[0], k[6]) = (k[6], k[0]);", "Copy(y, points); field.Evaluate(t, points, k[0]); evaluations++;", "FullyQualifiedName~OdeSolverTests|FullyQualifiedName~EveryMethodReportsItsEvaluations"),
 ("exact field variance", "shared/FlowMatching.Shared/Velocity/GaussianMixtureVelocityField.cs", "variances[c] = a * a + b * b * s2;", "variances[c] = a * a + b * b * s2 * 1.1;", "FullyQualifiedName~ExactVelocityTests"),
 ("energy cross term", "shared/FlowMatching.Shared/Metrics/SampleDiscrepancy.cs", "2 * cross.Distance - _samplePairs.Distance", "1.9 * cross.Distance - _samplePairs.Distance", "FullyQualifiedName~EvaluationTests"),
 ("energy floor", "shared/FlowMatching.Shared/Metrics/SampleDiscrepancy.cs", "double size = 1.0 / n + 1.0 / m;", "double size = 1.0 / m;", "FullyQualifiedName~EvaluationTests"),
 ("ema swapped", "trainer/ExponentialMovingAverage.cs", "average.mul_(_decay).add_(current, alpha: 1 - _decay);", "average.mul_(1 - _decay).add_(current, alpha: _decay);", "FullyQualifiedName~TrainingOptionsTests"),
 ("sde no score", "runtime/FlowMatching.Runtime/Integrators/SdeCoefficients.cs", "return velocity + (_constant ? eps * alphaScore / interpolant.Alpha(t) : eps * alphaScore);", "return velocity + 0 * (_constant ? eps * alphaScore / interpolant.Alpha(t) : eps * alphaScore);", "FullyQualifiedName~SdeSamplingTests"),
 ("em noise scale", "runtime/FlowMatching.Runtime/Integrators/EulerMaruyamaStep.cs", "double noise = Math.Sqrt(2 * sde.Diffusion(t) * dt);", "double noise = Math.Sqrt(1.7 * sde.Diffusion(t) * dt);", "FullyQualifiedName~EulerMaruyamaTests"),
 ("em noise not keyed by index", "runtime/FlowMatching.Runtime/Integrators/SdeSolver.cs", "Streams.ForSample(Streams.SdeNoise, firstSampleIndex + i)", "Streams.ForSample(Streams.SdeNoise, i)", "FullyQualifiedName~EulerMaruyamaTests"),
 ("loss figure r[0]", "runtime/flowmatch/Figures/LossFigure.cs", "measured.Select(r => r[step])", "measured.Select(r => r[0])", "FullyQualifiedName~FigureTests"),
 ("base limit from --limit", "runtime/flowmatch/Figures/DistributionsFigure.cs", 'FigureCanvas.Square(canvas.Panel(0), "Samples under ρ₀", BaseLimit);', 'FigureCanvas.Square(canvas.Panel(0), "Samples under ρ₀", limit);', "FullyQualifiedName~FigureTests"),
]
for name, path, a, b, flt in muts:
    src = open(path).read()
    assert a in src, name
    open(path, 'w').write(src.replace(a, b, 1))
    try:
        build = subprocess.run(["dotnet", "build", "tests/Pipeline.Tests", "-c", "Release"], capture_output=True, text=True)
        if build.returncode != 0:
            print(f"{name}: BUILD FAILED", build.stdout[-500:]); continue
        r = subprocess.run(["dotnet", "test", "tests/Pipeline.Tests", "-c", "Release", "--no-build", "--filter", flt], capture_output=True, text=True)
        failed = [l.strip() for l in r.stdout.splitlines() if l.strip().startswith("Failed ") and "[" in l]
        print(f"{name}: {'CAUGHT' if failed else 'NOT CAUGHT'} {failed[:3]}", flush=True)
    finally:
        open(path, 'w').write(src)
