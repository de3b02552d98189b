using ImageApi.Inference;

namespace ImageApi.Faces;

/// <summary>
/// PFLD-GhostOne, 98 WFLW landmarks (models/face-landmarks-pfld-ghostone-98/SOURCE.md). Pre-processing as SOURCE.md:
/// square crop resized to 112×112 bilinear, zero-filled outside the image, BGR, <c>(p − 127.5) / 127.5</c>, NCHW;
/// output <c>[N, 196]</c> normalised to the crop. Two passes: the detector box, then a crop fitted to the first
/// pass's points. All faces of a request go through each pass together.
/// </summary>
public sealed class FaceLandmarker(ModelCatalog catalog, IOptions<FaceFittingOptions> options) : IWarmable
{
    public const int InputSize = 112;
    public const int PointCount = 98;

    // SOURCE.md "Input": BGR (training reads crops with cv2.imread), (pixel/255 − 0.5)/0.5.
    private static readonly PixelLayout Layout = new(ChannelOrder.Bgr, [127.5f, 127.5f, 127.5f], [127.5f, 127.5f, 127.5f]);
    private static readonly int[] ItemShape = [3, InputSize, InputSize];

    private readonly FaceFittingOptions _options = options.Value;

    private OnnxModel Model => catalog.Get(_options.LandmarkModel);

    /// <summary>98 points per face box, in pixels of the full-size photo.</summary>
    public Vector2[][] Detect(ImageSource image, IReadOnlyList<Box> faces, CancellationToken ct = default)
    {
        using var activity = ImageApiTelemetry.StartStage("landmarks");
        activity?.SetTag("imageapi.faces.in", faces.Count);
        if (faces.Count == 0) return [];
        var crops = faces.Select(LandmarkCrop.FromBox).ToArray();
        var points = Run(image, crops, ct);
        if (_options.LandmarkSecondPass)
        {
            points = Run(image, [.. points.Select(p => LandmarkCrop.FromPoints(p))], ct);
        }

        return points;
    }

    /// <summary>One pass: all crops as one batch (or one by one if the model's batch is fixed at 1).</summary>
    internal Vector2[][] Run(ImageSource image, IReadOnlyList<LandmarkCrop> crops, CancellationToken ct)
    {
        var output = Model.RunItems(crops.Count, ItemShape,
            (i, dst) => TensorPacker.Pack(Extract(image, crops[i]), Layout, dst), [Model.OutputNames[0]], ct)[0];
        var result = new Vector2[crops.Count][];
        for (var i = 0; i < crops.Count; i++)
        {
            var p = new Vector2[PointCount];
            for (var k = 0; k < PointCount; k++)
            {
                p[k] = crops[i].ToImage(output[i * 2 * PointCount + 2 * k], output[i * 2 * PointCount + 2 * k + 1]);
            }

            result[i] = p;
        }

        return result;
    }

    /// <summary>The 112×112 crop, from the smallest cached decode that gives the crop at least 112 px.</summary>
    internal static RgbImage Extract(ImageSource image, LandmarkCrop crop)
    {
        var img = image.ForRegion(crop.Side, InputSize,
            new Box(crop.X0, crop.Y0, crop.X0 + crop.Side, crop.Y0 + crop.Side).SampledArea(BorderMode.Constant, image.Width, image.Height));
        var s = img.Scale;
        return ImageSampler.CropResize(img, crop.X0 * s, crop.Y0 * s, (crop.X0 + crop.Side) * s, (crop.Y0 + crop.Side) * s,
            InputSize, InputSize, BorderMode.Constant);
    }

    public void WarmUp()
    {
        var model = Model.RequireLayout(ItemShape);
        model.RunItems(1, ItemShape, (_, _) => { }, [model.OutputNames[0]], default);
    }
}
