namespace ImageApi.Attributes;

/// <summary>
/// One age/gender model family: its crop, its tensor layout and how its outputs are read — each exactly as its
/// models/&lt;name&gt;/SOURCE.md says. Every face (and every view of it) of a request goes through in one batch.
/// </summary>
public interface IAgeGenderModel
{
    /// <summary>The model's name in models/models.json.</summary>
    string Name { get; }

    /// <summary>Whether the model estimates age (a gender-only model gives NaN ages).</summary>
    bool HasAge { get; }

    /// <summary>Every face's reading, the views of a face averaged; <paramref name="cropScales"/> are the crop scales
    /// of a family whose crop is a square around the box (ignored by an aligned family).</summary>
    AgeGenderEstimate[] Run(ImageSource image, IReadOnlyList<FaceInput> faces, float[] cropScales, CancellationToken ct);

    /// <summary>Loads the model, checks its layout and runs it once.</summary>
    void WarmUp();
}
