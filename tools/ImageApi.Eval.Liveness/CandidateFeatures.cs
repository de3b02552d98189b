using ImageApi.Faces;
using ImageApi.Imaging;
using ImageApi.Liveness;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace ImageApi.Eval.Liveness;

/// <summary>
/// Every candidate input of the stacking study for one face box, by name: the CelebA-Spoof logit difference at
/// several expansions and under flip / gray-world / exposure normalisation, each Silent-Face model's three-class
/// log-ratios under the same variants, and the <see cref="ReplayCues"/> of the face crop. The crops are the models'
/// own (LivenessCrops, per their SOURCE.md); only the variant transforms are added.
/// </summary>
internal sealed class CandidateFeatures(IServiceProvider services)
{
    private static readonly float[] Expansions = [1.0f, 1.2f, 1.5f, 2.0f];
    private static readonly string[] Transforms = ["", "f", "gw", "ex"];

    private readonly CelebaSpoofLivenessModel _celeba = services.GetRequiredService<CelebaSpoofLivenessModel>();
    private readonly SilentFaceLivenessModels _silent = services.GetRequiredService<SilentFaceLivenessModels>();
    private readonly int _ladder = services.GetRequiredService<IOptions<FaceDetectorOptions>>().Value.InputLongSide;

    public static IReadOnlyList<string> Names { get; } = BuildNames();

    private static List<string> BuildNames()
    {
        var names = new List<string>();
        foreach (var e in Expansions) names.Add($"cel{e * 10:F0}");
        foreach (var t in Transforms.Skip(1)) names.Add($"cel15{t}");
        foreach (var model in new[] { "v2", "v1" })
        {
            foreach (var t in Transforms)
            {
                // r = log P(real)/(1 − P(real)); a, b = log P(real)/P(spoof class 0 or 2).
                names.Add($"{model}r{t}");
                names.Add($"{model}a{t}");
                names.Add($"{model}b{t}");
            }
        }

        names.AddRange(ReplayCues.Names);
        return names;
    }

    public double[] Of(ImageSource source, Box face, CancellationToken ct)
    {
        var values = new List<double>();
        var crops = Expansions.Select(e => LivenessCrops.CelebaSpoofSquare(source, face, e, CelebaSpoofLivenessModel.InputSize, _ladder)).ToList();
        var base15 = crops[2];
        crops.Add(ImageSampler.MirrorHorizontal(base15));
        crops.Add(GrayWorldBalance.Apply(base15));
        crops.Add(ExposureNormalisation.Apply(base15));
        values.AddRange(_celeba.LogitDifference(crops, ct).Select(v => (double)v));

        foreach (var (scale, v2) in new[] { (SilentFaceLivenessModels.V2Scale, true), (SilentFaceLivenessModels.V1SeScale, false) })
        {
            var crop = LivenessCrops.SilentFace(source, face, scale, SilentFaceLivenessModels.InputSize, _ladder);
            foreach (var variant in new[] { crop, ImageSampler.MirrorHorizontal(crop), GrayWorldBalance.Apply(crop), ExposureNormalisation.Apply(crop) })
            {
                var p = v2 ? _silent.V2Softmax(variant, ct) : _silent.V1SeSoftmax(variant, ct);
                double p0 = Math.Max(p[0], 1e-6), p1 = Math.Max(p[1], 1e-6), p2 = Math.Max(p[2], 1e-6);
                values.Add(Math.Log(p1 / Math.Max(1 - p[1], 1e-6)));
                values.Add(Math.Log(p1 / p0));
                values.Add(Math.Log(p1 / p2));
            }
        }

        var image = LivenessCrops.DecodeFor(source, face.LongSide, ReplayCues.Size, _ladder);
        var s = image.Scale;
        var faceCrop = ImageSampler.CropResize(image, face.X1 * s, face.Y1 * s, face.X2 * s, face.Y2 * s, ReplayCues.Size, ReplayCues.Size);
        values.AddRange(ReplayCues.Of(faceCrop));
        return [.. values];
    }
}
