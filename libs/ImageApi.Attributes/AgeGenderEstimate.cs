namespace ImageApi.Attributes;

/// <summary>One model's reading of one face: age in years (NaN when the model has no age head) and P(female).</summary>
public readonly record struct AgeGenderEstimate(float Age, float FemaleProbability);
