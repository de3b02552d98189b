namespace ImageApi.Calibration;

/// <summary>
/// The pipeline's output for one calibration image and one template method: raw (not normalised) embeddings of the
/// face aligned from the fitter's 5 points (<see cref="Fit"/>, what the services use), from YuNet's 5 points
/// (<see cref="Detector"/>), and of the mirrored fitter-aligned crop (<see cref="FitMirror"/>, for flip augmentation).
/// </summary>
internal sealed record EnrolledImage(string File, EnrolStatus Status, float[] Fit, float[] Detector, float[] FitMirror);
