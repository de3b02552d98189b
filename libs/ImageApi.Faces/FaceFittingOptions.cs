using System.ComponentModel.DataAnnotations;

namespace ImageApi.Faces;

/// <summary>Landmark, pose and face-acceptance settings of the fitting stage, bound from <c>FaceFitting</c>.</summary>
public sealed record FaceFittingOptions
{
    public const string SectionName = "FaceFitting";

    [Required(ErrorMessage = "FaceFitting:LandmarkModel must name a model")]
    public string LandmarkModel { get; set; } = "face-landmarks-pfld-ghostone-98";

    /// <summary>Run the landmark model a second time on a crop fitted to the first pass's points
    /// (SOURCE.md recommends it: better on every model tried, one more ~2 ms inference per face).</summary>
    public bool LandmarkSecondPass { get; set; } = true;

    /// <summary>FSA-Net "1x1" variant; its output is averaged with <see cref="PoseModelVar"/> (SOURCE.md).</summary>
    [Required(ErrorMessage = "FaceFitting:PoseModel1x1 must name a model")]
    public string PoseModel1x1 { get; set; } = "face-headpose-fsanet-1x1";

    /// <summary>FSA-Net "var" variant; empty = use the 1x1 model alone.</summary>
    public string PoseModelVar { get; set; } = "face-headpose-fsanet-var";

    /// <summary>Padding of the face box on every side for the pose crop, as a fraction of its width/height
    /// (SOURCE.md recommends 0.3: crop = 1.6·w × 1.6·h).</summary>
    [Range(0.0, double.MaxValue)]
    public float PosePad { get; set; } = 0.3f;

    /// <summary>Also run the pose models on the mirrored crop and average (yaw and roll with their sign flipped):
    /// FSA-Net alone is not mirror-symmetric (identity/compreface_A_004: yaw 6.0° vs −2.5° mirrored); see docs/faces.md
    /// for the measured effect. Doubles the pose cost (~0.5 ms per face per model).</summary>
    public bool PoseFlipAverage { get; set; } = true;

    /// <summary>Detections whose box long side is below this fraction of the photo's long side are dropped
    /// (0 = off). Faces that small carry too few pixels for any estimator.</summary>
    [Range(0.0, 1.0)]
    public float MinRelativeFaceSize { get; set; }

    /// <summary>
    /// Landmark agreement check: a detection is dropped when the detector's 5 points (YuNet) and the landmark model's
    /// 5 points (PFLD: pupils, nose tip, mouth corners) disagree by more than this, as mean point distance over the box's
    /// long side (0 = off). Two independently trained models agree on real faces and disagree on face-like patterns, but
    /// less on masked faces, where both guess the covered mouth and PFLD's whole shape drifts. Measured over every
    /// detection ≥ 0.6 of shared/testdata and attributes-dev (docs/faces.md): 2,141 genuine faces at most 0.234 (the 389
    /// mask-set faces: p99 0.216, max 0.234; all others ≤ 0.218), the false detections outside another face 0.186, 0.274
    /// and 0.314. The former 0.15 dropped 19 of the 200 masked dev photos' faces. Eyes + nose alone separate no better
    /// (masked faces up to 0.252: their eyes disagree too).
    /// </summary>
    [Range(0.0, double.MaxValue)]
    public float MaxLandmarkDisagreement { get; set; } = 0.25f;

    /// <summary>
    /// A detection with more than this fraction of its box inside the box of a higher-scored accepted face is dropped
    /// (1 = off): a face does not lie inside another face, but YuNet scores face parts (an eye region, a lens of a pair
    /// of glasses) ≥ 0.6 inside close-up faces, and NMS keeps them because their IoU with the large box is small. Measured
    /// (docs/faces.md): 8 of the 11 false detections ≥ 0.6 lie 0.83–1.0 inside a stronger face; no genuine face of the
    /// 2,141 lies more than 0.3 inside one, group photos included.
    /// </summary>
    [Range(0.0, 1.0)]
    public float MaxInsideStrongerFace { get; set; } = 0.5f;
}

/// <summary>Start-up check of <see cref="FaceFittingOptions"/>: its attributes.</summary>
[OptionsValidator]
public sealed partial class FaceFittingOptionsValidator : IValidateOptions<FaceFittingOptions>;
