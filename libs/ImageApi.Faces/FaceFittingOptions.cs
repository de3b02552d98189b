namespace ImageApi.Faces;

/// <summary>Landmark, pose and face-acceptance settings of the fitting stage, bound from <c>FaceFitting</c>.</summary>
public sealed class FaceFittingOptions
{
    public const string SectionName = "FaceFitting";

    public string LandmarkModel { get; set; } = "face-landmarks-pfld-ghostone-98";

    /// <summary>Run the landmark model a second time on a crop fitted to the first pass's points
    /// (SOURCE.md recommends it: better on every model tried, one more ~2 ms inference per face).</summary>
    public bool LandmarkSecondPass { get; set; } = true;

    /// <summary>FSA-Net "1x1" variant; its output is averaged with <see cref="PoseModelVar"/> (SOURCE.md).</summary>
    public string PoseModel1x1 { get; set; } = "face-headpose-fsanet-1x1";

    /// <summary>FSA-Net "var" variant; empty = use the 1x1 model alone.</summary>
    public string PoseModelVar { get; set; } = "face-headpose-fsanet-var";

    /// <summary>Padding of the face box on every side for the pose crop, as a fraction of its width/height
    /// (SOURCE.md recommends 0.3: crop = 1.6·w × 1.6·h).</summary>
    public float PosePad { get; set; } = 0.3f;

    /// <summary>Also run the pose models on the mirrored crop and average (yaw and roll with their sign flipped):
    /// FSA-Net alone is not mirror-symmetric (identity/compreface_A_004: yaw 6.0° vs −2.5° mirrored); see docs/faces.md
    /// for the measured effect. Doubles the pose cost (~0.5 ms per face per model).</summary>
    public bool PoseFlipAverage { get; set; } = true;

    /// <summary>Detections whose box long side is below this fraction of the photo's long side are dropped
    /// (0 = off). Faces that small carry too few pixels for any estimator.</summary>
    public float MinRelativeFaceSize { get; set; }

    /// <summary>
    /// Landmark agreement check: a detection is dropped when the detector's 5 points (YuNet) and the landmark model's
    /// 5 points (PFLD: pupils, nose tip, mouth corners) disagree by more than this, as mean point distance over the box's
    /// long side (0 = off). Two independently trained models agree on real faces and disagree on face-like patterns.
    /// Chosen on all 91 detections ≥ 0.6 of shared/testdata (docs/faces.md): the 90 genuine faces 0.013–0.074, the one
    /// false detection (the back of a head) 0.31; 0.15 leaves 2× margin above the worst genuine face.
    /// </summary>
    public float MaxLandmarkDisagreement { get; set; } = 0.15f;
}
