using ImageApi.Liveness;

namespace ImageApi.Eval.Liveness;

/// <summary>A full test photo: its faces (largest first) with every model's scores and the service's answer.</summary>
internal sealed record PhotoResult(string File, IReadOnlyList<(ImageApi.Imaging.Box Box, LivenessScores Scores, LivenessDecision Answer)> Faces);
