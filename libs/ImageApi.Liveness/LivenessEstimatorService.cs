using System.Text.Json.Nodes;
using ImageApi.Contracts;

namespace ImageApi.Liveness;

/// <summary>
/// <c>liveness-estimator</c>: faces from the fitter (bbox, and keypoints/pose that are passed back untouched) →
/// <c>liveness</c> added to each face object. The crop is built from the bbox alone, exactly as
/// <c>face-detector-liveness-estimator</c> does from its detection, so both services agree on the same face.
/// </summary>
public sealed class LivenessEstimatorService(LivenessEstimator estimator) : FaceAttributeService<LivenessDecision>
{
    protected override IReadOnlyList<LivenessDecision> Estimate(ImageSource image, IReadOnlyList<FaceInput> faces,
        ApiVersion version, CancellationToken ct) => estimator.Estimate(image, [.. faces.Select(f => f.Box)], ct);

    protected override void Write(JsonObject face, LivenessDecision decision, ApiVersion version) =>
        LivenessObjectWriter.Write(face, decision, version);
}
