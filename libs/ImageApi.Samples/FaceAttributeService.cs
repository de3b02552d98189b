using ImageApi.Contracts;

namespace ImageApi.Samples;

/// <summary>
/// The shape of the services that add one field to each face object the request carries (the attribute estimators,
/// liveness-estimator, quality-assessment-estimator, template-extractor): the faces are read and validated once
/// (<see cref="FaceObjectReader.ReadFaces"/>), estimated together so a model sees them in one batch, and each answer
/// is written into its own face object. Everything else of the sample passes through; a sample without faces comes
/// back unchanged. Detecting services replace the face objects instead and are not of this shape.
/// </summary>
/// <typeparam name="TEstimate">One face's answer.</typeparam>
public abstract class FaceAttributeService<TEstimate> : IImageApiService
{
    public ValueTask ProcessAsync(Sample sample, CancellationToken ct)
    {
        var faces = FaceObjectReader.ReadFaces(sample);
        var estimates = Estimate(sample.RequireImage(), faces, sample.Version, ct);
        for (var i = 0; i < faces.Count; i++) Write(faces[i].Object, estimates[i], sample.Version);
        return ValueTask.CompletedTask;
    }

    /// <summary>One answer per face of <paramref name="faces"/>, in its order. <paramref name="version"/> is the
    /// request's, for errors that point at a dialect's field.</summary>
    protected abstract IReadOnlyList<TEstimate> Estimate(ImageSource image, IReadOnlyList<FaceInput> faces, ApiVersion version,
        CancellationToken ct);

    /// <summary>Writes one face's answer into its object, in the request's <paramref name="version"/>.</summary>
    protected abstract void Write(JsonObject face, TEstimate estimate, ApiVersion version);
}
