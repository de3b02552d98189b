namespace ImageApi.Templates;

/// <summary>A recommended operating point of the reference ROC: accept when distance ≤ <see cref="Distance"/>.</summary>
public sealed record RocThreshold(double TargetFar, double Distance, double Cosine, double Score, double Far, double Tar, long FalseAccepts);
