using System.Numerics;
using ImageApi.Imaging;

namespace ImageApi.Templates;

/// <summary>
/// One template method's model family: how a face is aligned from its 5 points (original pixels, order image-left
/// eye, image-right eye, nose, image-left and image-right mouth corner — the fitter's points) and embedded. One
/// implementation per model family (<see cref="MobileFaceNetEmbedder"/>, <see cref="OmzReidEmbedder"/>); the services
/// reach them through <see cref="FaceTemplateExtractor"/>.
/// </summary>
public interface IFaceEmbedder : IWarmable
{
    /// <summary>The method written into the header of this embedder's templates.</summary>
    TemplateMethod Method { get; }

    /// <summary>Side of the aligned square crop the model reads.</summary>
    int CropSize { get; }

    /// <summary>The aligned crop of one face.</summary>
    RgbImage Align(ImageSource image, ReadOnlySpan<Vector2> fivePointsOriginalPx);

    /// <summary>Unit embeddings of the faces whose 5 points are given, in order: all faces in one model run.</summary>
    float[][] Extract(ImageSource image, IReadOnlyList<Vector2[]> fivePoints, CancellationToken ct = default);

    /// <summary>Unit embeddings of already aligned crops (flip augmentation applied when configured), one model run.</summary>
    float[][] Embed(IReadOnlyList<RgbImage> aligned, CancellationToken ct = default);

    /// <summary>The model's raw (not normalised) embeddings of aligned crops, one run for all.</summary>
    float[][] EmbedRaw(IReadOnlyList<RgbImage> aligned, CancellationToken ct = default);
}
