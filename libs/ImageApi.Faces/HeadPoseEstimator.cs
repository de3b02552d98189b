using ImageApi.Inference;

namespace ImageApi.Faces;

/// <summary>
/// FSA-Net head pose, the "1x1" and "var" models averaged as the upstream demo does
/// (models/face-headpose-fsanet-1x1/SOURCE.md, -var/SOURCE.md): the face box padded by <see cref="FaceFittingOptions.PosePad"/>
/// of its width/height on every side, stretched to 64×64, BGR, <c>(p − 127.5) / 128</c>, NCHW; output (yaw, pitch, roll) in degrees.
/// With <see cref="FaceFittingOptions.PoseFlipAverage"/> the mirrored crop is run too and averaged with yaw and roll negated.
/// Both models declare a fixed batch of 1, so the faces' crops are packed once and run item by item.
/// </summary>
/// <remarks>
/// Sign conventions (image-left/right as the viewer sees the photo):
/// <list type="bullet">
/// <item><b>yaw</b> &gt; 0: the face turns towards the image <b>right</b> (the nose lies image-right of the eyes' midpoint) —
///   the vendor's convention in both seed examples (v1: nose +18.7 px of a 323 px eye distance → yaw +6.65; v2: −1.3 px
///   of 99 → −0.89). FSA-Net's own output has the opposite sign (SOURCE.md: positive = towards the image left), so it is
///   negated here, once, and every reader of <see cref="HeadPose"/> sees the vendor's sign. PoseTests checks it against
///   the nose offset; the mirror test checks the sign flips.</item>
/// <item><b>roll</b> &gt; 0: the head is tilted so that the image-right eye is lower (the photo turned clockwise) —
///   SOURCE.md; checked by the 20° rotation test.</item>
/// <item><b>pitch</b> &gt; 0: the face looks up (chin raised); &lt; 0: looks down. SOURCE.md left this unverified. Verified
///   here against landmark geometry: over 84 faces of shared/testdata, pitch correlates −0.70 with the nose tip's position
///   along the eye→mouth axis (the nose drops towards the mouth when the head tilts down), and by eye on photos taken
///   from above (identity/compreface_A_006: −20°) and with the chin raised (identity/obama_3: +8°). PoseTests checks it.</item>
/// </list>
/// </remarks>
public sealed class HeadPoseEstimator(ModelCatalog catalog, IOptions<FaceFittingOptions> options) : IWarmable
{
    public const int InputSize = 64;

    // SOURCE.md "Input": BGR, (pixel − 127.5) / 128.
    private static readonly PixelLayout Layout = new(ChannelOrder.Bgr, [127.5f, 127.5f, 127.5f], [128f, 128f, 128f]);
    private static readonly int[] ItemShape = [3, InputSize, InputSize];

    private readonly FaceFittingOptions _options = options.Value;

    /// <summary>Head pose per face box (pixels of the full-size photo).</summary>
    public HeadPose[] Estimate(ImageSource image, IReadOnlyList<Box> faces, CancellationToken ct = default)
    {
        using var activity = ImageApiTelemetry.StartStage("pose");
        activity?.SetTag("imageapi.faces.in", faces.Count);
        if (faces.Count == 0) return [];
        var itemSize = 3 * InputSize * InputSize;
        var flip = _options.PoseFlipAverage;
        // Items: the crop of each face, then (flip) the mirrored crop of each face.
        var items = flip ? 2 * faces.Count : faces.Count;
        using var tensor = new TensorBuffer(items * itemSize); // packed once, fed to each pose model
        for (var i = 0; i < faces.Count; i++)
        {
            var crop = Extract(image, faces[i], _options.PosePad);
            TensorPacker.Pack(crop, Layout, tensor.Span.Slice(i * itemSize, itemSize));
            if (flip) TensorPacker.Pack(ImageSampler.MirrorHorizontal(crop), Layout, tensor.Span.Slice((faces.Count + i) * itemSize, itemSize));
        }

        var models = Models();
        var sum = new float[items * 3];
        foreach (var model in models)
        {
            var o = model.RunItems(tensor, items, ItemShape, [model.OutputNames[0]], ct)[0];
            for (var i = 0; i < sum.Length; i++) sum[i] += o[i];
        }

        var result = new HeadPose[faces.Count];
        for (var i = 0; i < faces.Count; i++)
        {
            // SOURCE.md "Output": (yaw, pitch, roll). A mirrored face has the opposite yaw and roll and the same pitch.
            float yaw = sum[3 * i], pitch = sum[3 * i + 1], roll = sum[3 * i + 2], n = models.Count;
            if (flip)
            {
                var m = 3 * (faces.Count + i);
                yaw -= sum[m];
                pitch += sum[m + 1];
                roll -= sum[m + 2];
                n *= 2;
            }

            // FSA-Net yaw is positive towards the image left; the vendor's is positive towards the image right.
            result[i] = new HeadPose(-yaw / n, roll / n, pitch / n);
        }

        return result;
    }

    /// <summary>The pose crop: the box padded by <paramref name="pad"/>·w and ·h on every side, clipped to the photo
    /// (as the lite.ai.toolkit-style wrapper SOURCE.md cites), stretched to 64×64.</summary>
    internal static RgbImage Extract(ImageSource image, Box face, float pad)
    {
        var padded = PaddedBox(face, pad, image.Width, image.Height);
        var img = image.ForRegion(padded.LongSide, InputSize, padded.SampledArea(BorderMode.Replicate, image.Width, image.Height));
        var s = img.Scale;
        return ImageSampler.CropResize(img, padded.X1 * s, padded.Y1 * s, padded.X2 * s, padded.Y2 * s, InputSize, InputSize);
    }

    internal static Box PaddedBox(Box face, float pad, int width, int height)
    {
        var padded = new Box(face.X1 - pad * face.Width, face.Y1 - pad * face.Height, face.X2 + pad * face.Width, face.Y2 + pad * face.Height)
            .ClampTo(width, height);
        // A box entirely outside the photo (client input) still yields a valid, if meaningless, 1-px crop.
        return padded.Width < 1 || padded.Height < 1
            ? new Box(padded.X1, padded.Y1, Math.Max(padded.X2, padded.X1 + 1), Math.Max(padded.Y2, padded.Y1 + 1))
            : padded;
    }

    private List<OnnxModel> Models()
    {
        var list = new List<OnnxModel> { catalog.Get(_options.PoseModel1x1) };
        if (!string.IsNullOrEmpty(_options.PoseModelVar)) list.Add(catalog.Get(_options.PoseModelVar));
        return list;
    }

    public void WarmUp()
    {
        foreach (var model in Models())
        {
            model.RequireLayout(ItemShape).RunItems(1, ItemShape, (_, _) => { }, [model.OutputNames[0]], default);
        }
    }
}
