using ImageApi.Faces;
using ImageApi.Inference;

namespace ImageApi.Attributes;

/// <summary>
/// <c>age-gender-insightface-fmobilenet</c> (NON-COMMERCIAL weights): 5-point similarity (Umeyama) onto the ArcFace
/// 112 template, bilinear, constant-0 border, RGB 0..255 (the graph does (x − 127.5) / 128); <c>fc1</c> [N,202]:
/// [0..1] gender logits [female, male], then 100 binary age pairs — age = how many pairs say "older".
/// </summary>
public sealed class InsightFaceAgeGenderModel(ModelCatalog catalog, FaceFitting fitting, FaceAttributesOptions options) : IAgeGenderModel
{
    private const int Outputs = 202, AgePairs = 100;
    private OnnxModel? _model;

    public string Name => AttributeModels.InsightFaceAgeGender;

    public bool HasAge => true;

    private OnnxModel Model => _model ??= catalog.Get(Name).RequireLayout([3, FaceAligner.ArcFaceSize, FaceAligner.ArcFaceSize], "fc1");

    public AgeGenderEstimate[] Run(ImageSource image, IReadOnlyList<FaceInput> faces, float[] cropScales, CancellationToken ct)
    {
        if (faces.Count == 0) return [];
        // The request's 5 points, or the landmarks fitted in the box (never a silent skip of the alignment).
        var points = fitting.FivePointsOf(image, faces, ct);
        var crops = AgeGenderViews.WithMirrors(points.Select(p => FaceAligner.AlignArcFace112(image, p)), options.AgeGenderFlip);
        var fc1 = Model.RunItems(crops.Count, [3, FaceAligner.ArcFaceSize, FaceAligner.ArcFaceSize],
            (i, dst) => TensorPacker.Pack(crops[i], PixelLayout.Raw(ChannelOrder.Rgb), dst), ["fc1"], ct)[0];
        return AgeGenderViews.Combine(faces.Count, i =>
        {
            var o = fc1.AsSpan(i * Outputs, Outputs);
            var pFemale = 1f / (1f + MathF.Exp(o[1] - o[0]));
            var age = 0;
            for (var k = 0; k < AgePairs; k++)
            {
                if (o[2 + 2 * k + 1] > o[2 + 2 * k]) age++;
            }

            return new AgeGenderEstimate(age, pFemale);
        }, crops.Count / faces.Count);
    }

    public void WarmUp() => Model.Run(new float[3 * FaceAligner.ArcFaceSize * FaceAligner.ArcFaceSize], [1, 3, FaceAligner.ArcFaceSize, FaceAligner.ArcFaceSize]);
}
