using FlowMatching.Training;
using static TorchSharp.torch;

namespace FlowMatching.Tests;

[TestClass]
public sealed class LossTests
{
    [TestMethod]
    public void LossIsHalfSquaredNormMinusDotProductAveragedOverTheBatch()
    {
        using Tensor b = tensor(new float[] { 1, 2, -1, 0.5f }, [2, 2]);
        using Tensor dI = tensor(new float[] { 3, -1, 2, 2 }, [2, 2]);
        // row 0: 0.5 * (1 + 4) - (3 - 2) = 1.5 ; row 1: 0.5 * (1 + 0.25) - (-2 + 1) = 1.625
        Assert.AreEqual((1.5 + 1.625) / 2, InterpolantLoss.Compute(b, dI).item<float>(), 1e-6);
    }

    [TestMethod]
    public void LossIsMinimisedByTheTargetVelocity()
    {
        using Tensor dI = tensor(new float[] { 3, -1, 2, 2 }, [2, 2]);
        float atTarget = InterpolantLoss.Compute(dI, dI).item<float>();
        using Tensor off = dI + 0.1f;
        Assert.AreEqual(-0.5 * (10 + 8) / 2, atTarget, 1e-5);
        Assert.IsTrue(InterpolantLoss.Compute(off, dI).item<float>() > atTarget);
    }
}
