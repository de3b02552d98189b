namespace ImageApi.Eval.Liveness;

/// <summary>The measurement of one method on one crop variant.</summary>
internal sealed record MethodResult(
    LivenessMethod Method,
    CropVariant Variant,
    double Auc,
    double Eer,
    double ApcerAtBpcer1,
    double ApcerAtBpcer5,
    double ApcerAtBpcer10,
    PlattCalibration Calibration,
    double Threshold,
    double Apcer,
    double Bpcer,
    double ApcerAtHalf,
    double BpcerAtHalf,
    IReadOnlyList<SubjectResult> Subjects,
    double HeldOutApcer,
    double HeldOutBpcer,
    CalibrationQuality Quality);

/// <summary>Per subject: error rates at the method's operating point fitted on all subjects, and with calibration
/// and threshold fitted on the other three subjects only (leave-one-subject-out).</summary>
internal sealed record SubjectResult(string Subject, double Auc, double Apcer, double Bpcer, double HeldOutApcer, double HeldOutBpcer,
    double HeldOutThreshold);
