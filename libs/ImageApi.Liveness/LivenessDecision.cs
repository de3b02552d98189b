namespace ImageApi.Liveness;

/// <summary>One face's answer: the decision, the calibrated probability that it is real, the probability of the
/// returned value (the contract's <c>confidence</c>) and the method's raw score.</summary>
public readonly record struct LivenessDecision(bool IsReal, float RealProbability, float Score)
{
    /// <summary>P(returned value): P(real) for a real decision, 1 − P(real) for a fake one.</summary>
    public float Confidence => IsReal ? RealProbability : 1 - RealProbability;
}
