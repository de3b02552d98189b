namespace ImageApi.Faces;

/// <summary>
/// The detection + fitting stage shared by face-detector-face-fitter, -template-extractor and -liveness-estimator:
/// YuNet boxes → PFLD 98 landmarks (two passes) → vendor 21 keypoints → FSA-Net pose. Each model sees all faces of
/// the image in one batch.
/// </summary>
public sealed class FaceFitting(FaceDetector detector, FaceLandmarker landmarker, HeadPoseEstimator pose, IOptions<FaceFittingOptions> options)
{
    private readonly FaceFittingOptions _options = options.Value;

    public FaceFittingOptions Options => _options;

    /// <summary>Detects and fits every face, sorted by descending detector confidence.</summary>
    public IReadOnlyList<FittedFace> Fit(ImageSource image, CancellationToken ct = default)
    {
        var detected = detector.Detect(image, ct);
        var longSide = Math.Max(image.Width, image.Height);
        var kept = detected.Where(d => d.Box.LongSide >= _options.MinRelativeFaceSize * longSide)
            .OrderByDescending(d => d.Score).ToList();
        var fitted = FitCore(image, [.. kept.Select(d => d.Box)], [.. kept.Select(d => d.Score)], ct);
        var result = new List<FittedFace>(fitted.Count);
        for (var i = 0; i < fitted.Count; i++)
        {
            if (_options.MaxLandmarkDisagreement > 0
                && LandmarkDisagreement(kept[i].Landmarks, fitted[i].FivePoints, kept[i].Box) > _options.MaxLandmarkDisagreement)
            {
                continue;
            }

            // Highest score first, so a face part (an eye, a lens of a pair of glasses) is compared with the face it
            // lies in; NMS keeps it because its IoU with that much larger box is small.
            if (_options.MaxInsideStrongerFace < 1 && result.Exists(f => InsideFraction(fitted[i].Box, f.Box) > _options.MaxInsideStrongerFace))
            {
                continue;
            }

            result.Add(fitted[i]);
        }

        return result;
    }

    /// <summary>The fraction of <paramref name="box"/>'s area that lies inside <paramref name="other"/>.</summary>
    public static float InsideFraction(Box box, Box other) => box.Area <= 0 ? 0 : box.IntersectionArea(other) / box.Area;

    /// <summary>Landmarks and pose for boxes the client sent (pixels of the full-size photo), in the given order;
    /// Score is 1 (no detector ran).</summary>
    public IReadOnlyList<FittedFace> FitBoxes(ImageSource image, IReadOnlyList<Box> boxes, CancellationToken ct = default) =>
        FitCore(image, boxes, [.. boxes.Select(_ => 1f)], ct);

    /// <summary>
    /// The 5 alignment points of every face, in order: the request's own keypoints where it carried them, else the
    /// landmarks located inside its box — the landmark model only (a template or an aligned attribute crop needs
    /// no pose). A later fit of the same face in the same pipeline reuses those landmarks.
    /// </summary>
    public Vector2[][] FivePointsOf(ImageSource image, IReadOnlyList<FaceInput> faces, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(image);
        ArgumentNullException.ThrowIfNull(faces);
        var result = new Vector2[faces.Count][];
        var missing = new List<int>();
        for (var i = 0; i < faces.Count; i++)
        {
            if (faces[i].FivePoints is { } p) result[i] = p;
            else missing.Add(i);
        }

        if (missing.Count == 0) return result;
        var landmarks = Landmarks(image, [.. missing.Select(i => faces[i].Box)], ct);
        for (var k = 0; k < missing.Count; k++) result[missing[k]] = VendorKeypointMap.ToFivePoints(landmarks[k]);
        return result;
    }

    private List<FittedFace> FitCore(ImageSource image, IReadOnlyList<Box> boxes, IReadOnlyList<float> scores, CancellationToken ct)
    {
        var landmarks = Landmarks(image, boxes, ct);
        var poses = image.Faces.GetOrCompute(PoseFamily, boxes, missing => pose.Estimate(image, [.. missing.Select(i => boxes[i])], ct));
        var result = new List<FittedFace>(boxes.Count);
        for (var i = 0; i < boxes.Count; i++)
        {
            result.Add(new FittedFace(boxes[i], scores[i], VendorKeypointMap.ToFivePoints(landmarks[i]),
                VendorKeypointMap.ToVendor21(landmarks[i]), landmarks[i], poses[i]));
        }

        return result;
    }

    // Landmarks and pose of a box depend on the box and the pixels only: a later stage of the same pipeline asking for
    // the same face (quality, a box-only template or attribute request) gets them without running the models.
    private Vector2[][] Landmarks(ImageSource image, IReadOnlyList<Box> boxes, CancellationToken ct) =>
        image.Faces.GetOrCompute(LandmarkFamily, boxes, missing => landmarker.Detect(image, [.. missing.Select(i => boxes[i])], ct));

    /// <summary>The <see cref="FaceResults"/> families of the landmark and the pose models.</summary>
    private const string LandmarkFamily = "landmarks", PoseFamily = "pose";

    /// <summary>Mean distance between two 5-point sets (same order), over the face box's long side. The box, not the
    /// inter-ocular distance, is the scale: the eyes' distance shrinks towards zero on a profile, the box does not.</summary>
    internal static float LandmarkDisagreement(ReadOnlySpan<Vector2> a, ReadOnlySpan<Vector2> b, Box box)
    {
        var sum = 0f;
        for (var k = 0; k < 5; k++) sum += Vector2.Distance(a[k], b[k]);
        return sum / 5 / MathF.Max(1, box.LongSide);
    }
}
