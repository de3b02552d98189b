using ImageApi.Contracts;

namespace ImageApi.Liveness;

/// <summary>
/// <c>liveness-estimator</c>: faces from the fitter (bbox, and keypoints/pose that are passed back untouched) →
/// <c>liveness</c> added to each face object. The crop is built from the bbox alone, exactly as
/// <c>face-detector-liveness-estimator</c> does from its detection, so both services agree on the same face.
/// </summary>
public sealed class LivenessEstimatorService(LivenessEstimator estimator) : IImageApiService
{
    public string Name => ServiceNames.LivenessEstimator;

    public ValueTask ProcessAsync(Sample sample, CancellationToken ct)
    {
        var image = sample.RequireImage();
        var faces = FaceObjectReader.ReadFaces(sample);
        var decisions = estimator.Estimate(image, [.. faces.Select(f => f.Box)], ct);
        for (var i = 0; i < faces.Count; i++) LivenessObjectWriter.Write(faces[i].Object, decisions[i], sample.Version);
        return ValueTask.CompletedTask;
    }
}
