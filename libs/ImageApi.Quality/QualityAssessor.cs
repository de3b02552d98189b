using ImageApi.Attributes;
using ImageApi.Contracts;
using ImageApi.Faces;
using ImageApi.Imaging;
using ImageApi.Inference;
using ImageApi.Samples;
using Microsoft.Extensions.Options;

namespace ImageApi.Quality;

/// <summary>
/// ISO/IEC 29794-5-style face image quality in the spirit of BSI OFIQ: every face is measured on its own aligned crop
/// (5 points → the ArcFace template at 2×, 224×224), with the face region given by the hull of its 98 landmarks, and on
/// a wider aligned portrait crop for the background. Expression and mask come from the attribute models; geometry
/// (eye distance, margins, pose) from the fitter's output. docs/quality.md documents each measure, unit and threshold.
/// </summary>
public sealed class QualityAssessor(FaceFitting fitting, EmotionEstimator emotions, MaskEstimator masks, IOptions<QualityOptions> options)
{
    /// <summary>Aligned face crop: 224 px, ArcFace template × 2 (inter-eye distance ≈ 70 px).</summary>
    internal const int FaceCropSize = 224;

    /// <summary>Portrait crop for the background: 256 px with the inter-eye distance at 40 px and the eyes at 40 % height,
    /// so the crop spans 6.4 inter-eye distances — head, shoulders and the background around them.</summary>
    internal const int PortraitSize = 256;

    internal const float PortraitEyeDistance = 40f;

    // Score maps (docs/quality.md). The scales were chosen on the whole developers' set (every face of shared/testdata,
    // originals and their σ = 3 blurred, 70 % darkened, σ = 15 noisy and line-overlaid copies; docs/quality.md,
    // "Calibration"), not on a single image.
    // Laplacian variance on the 224-px crop: originals 25–1100 (tiny, upscaled faces 10–40), σ = 3 blurred 1–32.
    // score = 1 − exp(−v / 60): 0.5 at v ≈ 42.
    internal const float SharpnessScale = 60f;

    // Immerkær σ on the face at (up to) native resolution: originals 0.3–4 grey levels (a few textured or heavily
    // compressed faces 5–7), σ = 15 added noise 9–13. score = 1 / (1 + (σ / 6)²): 0.5 at σ = 6.
    internal const float NoiseScale = 6f;

    /// <summary>Noise is measured on a decode in which the face region is at least this long (native resolution for
    /// faces up to this size): resampling to the aligned crop would average the noise away for large faces.</summary>
    internal const int NoiseMinPixels = 512;

    // Background mean Sobel gradient: plain walls 0.5–3, rooms and outdoor scenes 5–12 grey levels per pixel.
    // score = exp(−g / 6): 0.5 at g ≈ 4.2.
    internal const float BackgroundScale = 6f;

    // Watermark heuristic: share of cheek pixels on a thin light stroke (white top-hat over 5×5 > 20 grey levels).
    // Originals 0–0.05 (mask pleats, stubble, catch lights), white lines at 50 % opacity 0.04–0.20 on faces with an
    // inter-eye distance above ~20 px. score = min(1, share / 0.12): 0.5 at a share of 0.06.
    internal const int StrokeRadius = 2;
    internal const float StrokeContrast = 20f;
    internal const float WatermarkScale = 0.12f;

    // Luminance mean accepted without penalty (OFIQ's luminance mean: mid-range is best).
    internal const float LuminanceLow = 80f, LuminanceHigh = 180f;

    private readonly QualityOptions _options = options.Value;

    public QualityOptions Options => _options;

    /// <summary>Quality of every face, in the given order. The 98 landmarks (eye lids, face region) and, where the request
    /// lacks them, the keypoints and pose come from <see cref="FaceFitting.FitBoxes"/> on the faces' boxes.</summary>
    public IReadOnlyList<FaceQuality> Assess(ImageSource image, IReadOnlyList<FaceInput> faces, CancellationToken ct)
    {
        using var activity = ImageApiTelemetry.StartStage("quality");
        activity?.SetTag("imageapi.faces.in", faces.Count);
        if (faces.Count == 0) return [];
        var fitted = fitting.FitBoxes(image, [.. faces.Select(f => f.Box)], ct);
        var emotion = emotions.Estimate(image, faces, ct);
        var mask = masks.Estimate(image, faces, ct);
        var neutral = Array.IndexOf(EmotionEstimator.Emotions, "NEUTRAL");
        var result = new FaceQuality[faces.Count];
        for (var i = 0; i < faces.Count; i++)
        {
            ct.ThrowIfCancellationRequested();
            var face = faces[i];
            var keypoints = face.Keypoints ?? fitted[i].Keypoints;
            var five = face.FivePoints ?? fitted[i].FivePoints;
            if (Vector2.Distance(five[0], five[1]) < 1f)
            {
                throw new FaceGeometryException(face.Index, "The eye keypoints coincide: the fitter's output is required");
            }

            // The pose is always this service's own estimate (the fitter's models on this face), never the request's
            // angles: those may come from another vendor's fitter, with other signs and ranges.
            result[i] = Measure(image, five, keypoints, fitted[i].Landmarks98, fitted[i].Pose,
                emotion[i][neutral], mask[i]);
        }

        return result;
    }

    internal FaceQuality Measure(ImageSource image, Vector2[] five, Vector2[] keypoints, Vector2[] landmarks98, HeadPose pose,
        float neutralProbability, float maskProbability)
    {
        var o = _options;

        // Face crop and face region (hull of the 98 landmarks inside the photo).
        var crop = AlignedCrop.Create(image, five, FaceCropSize, FaceCropSize / (float)FaceAligner.ArcFaceSize, Vector2.Zero);
        var hull = ConvexRegion.HullOf(landmarks98.Select(crop.Map)).Rasterise(FaceCropSize, FaceCropSize);
        var region = And(hull, crop.Luma.Mask);
        var face = crop.Luma.WithMask(region);

        var laplacian = ImageMeasures.LaplacianVariance(face);
        var sharpness = 1 - MathF.Exp(-laplacian / SharpnessScale);

        var mean = ImageMeasures.Mean(face);
        var axis = (crop.Map(five[0]).X + crop.Map(five[1]).X) / 2;
        var uniformity = ImageMeasures.Intersection(
            ImageMeasures.Histogram(face.WithMask(Half(region, FaceCropSize, axis, left: true)), 32),
            ImageMeasures.Histogram(face.WithMask(Half(region, FaceCropSize, axis, left: false)), 32));
        var illumination = MathF.Sqrt(LuminanceScore(mean) * uniformity);

        var flare = ImageMeasures.FractionAtOrAbove(face, o.FlareLevel);
        var entropy = ImageMeasures.Entropy(ImageMeasures.Histogram(face, 256));
        var sigma = ImageMeasures.NoiseSigma(NativeFaceRegion(image, landmarks98));
        var noise = 1 / (1 + sigma * sigma / (NoiseScale * NoiseScale));

        var strokes = LightStrokeFraction(crop, And(region, Cheeks(crop, five)));
        var watermark = Math.Clamp(strokes / WatermarkScale, 0, 1);

        var leftRatio = EyeOpenness.LeftRatio(landmarks98);
        var rightRatio = EyeOpenness.RightRatio(landmarks98);
        var leftOpen = EyeOpenness.Score(leftRatio, o.EyeOpenRatio, o.EyeOpenRatioWidth);
        var rightOpen = EyeOpenness.Score(rightRatio, o.EyeOpenRatio, o.EyeOpenRatioWidth);

        var (backgroundGradient, backgroundFraction) = Background(image, five, landmarks98);
        var background = float.IsNaN(backgroundGradient) ? 0 : MathF.Exp(-backgroundGradient / BackgroundScale);

        var eyes = Vector2.Distance(keypoints[KeypointNames.LeftEye], keypoints[KeypointNames.RightEye]);
        var (inner, outer) = PortraitGeometry.Deviations(keypoints[KeypointNames.LeftEye], keypoints[KeypointNames.RightEye],
            keypoints[KeypointNames.Chin], landmarks98[0], landmarks98[32], image.Width, image.Height);
        var rotation = LargestRotation(pose);
        var notMasked = 1 - maskProbability;

        ReadOnlySpan<float> components =
        [
            sharpness, illumination, 1 - MathF.Min(1, flare / 0.1f), MathF.Min(leftOpen, rightOpen), background,
            MathF.Min(1, entropy / 7), MathF.Min(1, eyes / o.MinEyesDistance), noise, MathF.Max(0, 1 - MathF.Max(inner, outer) / 50),
            neutralProbability, notMasked, 1 - watermark, MathF.Max(0, 1 - MathF.Abs(rotation) / 45),
        ];

        return new FaceQuality
        {
            TotalScore = TotalScore(components),
            IsSharp = sharpness >= o.SharpnessThreshold,
            SharpnessScore = sharpness,
            IsEvenlyIlluminated = illumination >= o.IlluminationThreshold,
            IlluminationScore = illumination,
            NoFlare = flare <= o.MaxFlareFraction,
            IsLeftEyeOpened = leftOpen >= o.EyeOpennessThreshold,
            LeftEyeOpennessScore = leftOpen,
            IsRightEyeOpened = rightOpen >= o.EyeOpennessThreshold,
            RightEyeOpennessScore = rightOpen,
            IsRotationAcceptable = MathF.Abs(pose.Yaw) <= o.MaxYaw && MathF.Abs(pose.Pitch) <= o.MaxPitch && MathF.Abs(pose.Roll) <= o.MaxRoll,
            MaxRotationDeviation = rotation,
            NotMasked = notMasked >= o.NotMaskedThreshold,
            NotMaskedScore = notMasked,
            IsNeutralEmotion = neutralProbability >= o.NeutralEmotionThreshold,
            NeutralEmotionScore = neutralProbability,
            IsEyesDistanceAcceptable = eyes >= o.MinEyesDistance,
            EyesDistance = eyes,
            IsMarginsAcceptable = inner <= o.MaxMarginInnerDeviation && outer <= o.MaxMarginOuterDeviation,
            MarginOuterDeviation = outer,
            MarginInnerDeviation = inner,
            IsNotNoisy = noise >= o.NoiseThreshold,
            NoiseScore = noise,
            WatermarkScore = watermark,
            HasWatermark = watermark >= o.WatermarkThreshold,
            DynamicRangeScore = entropy,
            IsDynamicRangeAcceptable = entropy >= o.MinDynamicRange,
            BackgroundUniformityScore = background,
            IsBackgroundUniform = background >= o.BackgroundUniformityThreshold,
            Raw = new QualityMeasurements(laplacian, mean, uniformity, flare, leftRatio, rightRatio, backgroundGradient,
                backgroundFraction, sigma, strokes),
        };
    }

    /// <summary><c>max_rotation_deviation</c>: the pose angle of largest magnitude, with its sign (the seed answers −8), so a
    /// client sees both how far and which way; ties go yaw, pitch, roll.</summary>
    internal static float LargestRotation(HeadPose pose)
    {
        var largest = pose.Yaw;
        if (MathF.Abs(pose.Pitch) > MathF.Abs(largest)) largest = pose.Pitch;
        if (MathF.Abs(pose.Roll) > MathF.Abs(largest)) largest = pose.Roll;
        return largest;
    }

    /// <summary>Geometric mean of the component scores, each floored at 0.01 so one failed requirement pulls the total
    /// down hard without zeroing it (docs/quality.md, "total_score").</summary>
    internal static float TotalScore(ReadOnlySpan<float> components)
    {
        double log = 0;
        foreach (var c in components) log += Math.Log(Math.Clamp(c, 0.01, 1));
        return (float)Math.Exp(log / components.Length);
    }

    /// <summary>1 inside [<see cref="LuminanceLow"/>, <see cref="LuminanceHigh"/>], falling linearly to 0 at black and white.</summary>
    internal static float LuminanceScore(float mean)
    {
        if (float.IsNaN(mean)) return 0;
        if (mean < LuminanceLow) return Math.Clamp(mean / LuminanceLow, 0, 1);
        if (mean > LuminanceHigh) return Math.Clamp((255 - mean) / (255 - LuminanceHigh), 0, 1);
        return 1;
    }

    /// <summary>
    /// Background: the portrait crop outside an ellipse around the head (face width × 1.3 for hair and ears, crown-to-chin
    /// × 1.15) and above the chin (below it are neck and shoulders), inside the photo. Returns its mean Sobel gradient and
    /// its share of the crop; NaN gradient when under 2 % of the crop is background.
    /// </summary>
    private static (float Gradient, float Fraction) Background(ImageSource image, Vector2[] five, Vector2[] landmarks98)
    {
        var scale = PortraitEyeDistance / TemplateEyeDistance;
        var eyeMid = (FaceAligner.ArcFaceTemplate[0] + FaceAligner.ArcFaceTemplate[1]) / 2 * scale;
        var offset = new Vector2(PortraitSize / 2f, 0.4f * PortraitSize) - eyeMid;
        var crop = AlignedCrop.Create(image, five, PortraitSize, scale, offset);

        var chin = crop.Map(landmarks98[16]);
        var c0 = crop.Map(landmarks98[0]);
        var c32 = crop.Map(landmarks98[32]);
        var eyes = (crop.Map(five[0]) + crop.Map(five[1])) / 2;
        var crown = eyes.Y - (chin.Y - eyes.Y);
        var centre = new Vector2((c0.X + c32.X) / 2, (crown + chin.Y) / 2);
        var a = MathF.Max(4, Vector2.Distance(c0, c32) / 2 * 1.3f);
        var b = MathF.Max(4, (chin.Y - crown) / 2 * 1.15f);

        var mask = new bool[PortraitSize * PortraitSize];
        var inside = crop.Luma.Mask;
        for (var y = 0; y < PortraitSize && y < chin.Y; y++)
        {
            for (var x = 0; x < PortraitSize; x++)
            {
                var i = y * PortraitSize + x;
                float dx = (x - centre.X) / a, dy = (y - centre.Y) / b;
                mask[i] = inside[i] && dx * dx + dy * dy > 1;
            }
        }

        var plane = crop.Luma.WithMask(mask);
        var fraction = plane.Count / (float)mask.Length;
        return fraction < 0.02f ? (float.NaN, fraction) : (ImageMeasures.MeanGradient(plane), fraction);
    }

    private static readonly float TemplateEyeDistance = Vector2.Distance(FaceAligner.ArcFaceTemplate[0], FaceAligner.ArcFaceTemplate[1]);

    /// <summary>Cheek rectangles of the aligned face: beside the nose, from below the eyes (clear of glasses' rims) to
    /// above the mouth corners — skin that is smooth in a clean photo.</summary>
    private static bool[] Cheeks(AlignedCrop crop, Vector2[] five)
    {
        var s = crop.Size;
        var eyeL = crop.Map(five[0]);
        var eyeR = crop.Map(five[1]);
        var mouthY = (crop.Map(five[3]).Y + crop.Map(five[4]).Y) / 2;
        var ied = Vector2.Distance(eyeL, eyeR);
        var top = (eyeL.Y + eyeR.Y) / 2 + 0.5f * ied;
        var bottom = mouthY - 0.15f * ied;
        var mask = new bool[s * s];
        for (var y = (int)MathF.Max(0, top); y < MathF.Min(s, bottom); y++)
        {
            for (var x = 0; x < s; x++)
            {
                var inLeft = x >= eyeL.X - 0.35f * ied && x <= eyeL.X + 0.2f * ied;
                var inRight = x >= eyeR.X - 0.2f * ied && x <= eyeR.X + 0.35f * ied;
                mask[y * s + x] = inLeft || inRight;
            }
        }

        return mask;
    }

    private static bool[] And(bool[] a, bool[] b)
    {
        var r = new bool[a.Length];
        for (var i = 0; i < a.Length; i++) r[i] = a[i] && b[i];
        return r;
    }

    private static bool[] Half(bool[] region, int width, float axis, bool left)
    {
        var r = new bool[region.Length];
        for (var i = 0; i < region.Length; i++)
        {
            var x = i % width;
            r[i] = region[i] && (left ? x < axis : x >= axis);
        }

        return r;
    }

    /// <summary>The face (hull of the 98 landmarks) as it is in a decode at native resolution, up to
    /// <see cref="NoiseMinPixels"/> across; no resampling.</summary>
    private static LumaPlane NativeFaceRegion(ImageSource image, Vector2[] landmarks98)
    {
        var points = landmarks98;
        float minX = points.Min(p => p.X), maxX = points.Max(p => p.X), minY = points.Min(p => p.Y), maxY = points.Max(p => p.Y);
        var decoded = image.ForRegion(MathF.Max(maxX - minX, maxY - minY), NoiseMinPixels);
        var hull = ConvexRegion.HullOf(points.Select(p => p * decoded.Scale));
        var x0 = Math.Clamp((int)MathF.Floor(minX * decoded.Scale), 0, decoded.Width - 1);
        var y0 = Math.Clamp((int)MathF.Floor(minY * decoded.Scale), 0, decoded.Height - 1);
        var x1 = Math.Clamp((int)MathF.Ceiling(maxX * decoded.Scale), x0 + 1, decoded.Width);
        var y1 = Math.Clamp((int)MathF.Ceiling(maxY * decoded.Scale), y0 + 1, decoded.Height);
        int w = x1 - x0, h = y1 - y0;
        var values = new float[w * h];
        var mask = new bool[w * h];
        var px = decoded.Pixels;
        for (var y = 0; y < h; y++)
        {
            for (var x = 0; x < w; x++)
            {
                var s = ((y + y0) * decoded.Width + x + x0) * 3;
                values[y * w + x] = 0.299f * px[s] + 0.587f * px[s + 1] + 0.114f * px[s + 2];
            }

            hull.ContainsRow(x0, y + y0, mask.AsSpan(y * w, w));
        }

        return new LumaPlane(w, h, values, mask);
    }

    /// <summary>Share of <paramref name="region"/>'s pixels on thin light achromatic strokes (the watermark heuristic).</summary>
    private static float LightStrokeFraction(AlignedCrop crop, bool[] region)
    {
        var tophat = ImageMeasures.WhiteTopHat(crop.Luma.WithMask(region), StrokeRadius);
        int n = 0, strokes = 0;
        for (var i = 0; i < region.Length; i++)
        {
            if (!region[i]) continue;
            n++;
            if (tophat[i] > StrokeContrast) strokes++;
        }

        return n == 0 ? 0 : strokes / (float)n;
    }
}
