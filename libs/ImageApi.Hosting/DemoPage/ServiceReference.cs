namespace ImageApi.Hosting.DemoPage;

/// <summary>What the API reference (<c>/docs</c>) says about each service: one paragraph, the docs/ page that has the
/// details, and which request its example is.</summary>
internal sealed record ServiceReference(string Name, string Description, string Guide, ExampleKind Example);

internal enum ExampleKind
{
    /// <summary>Just the photo (the detectors).</summary>
    Image,

    /// <summary>The photo and one face with its box (estimators run on faces a detector found before).</summary>
    ImageAndFace,

    /// <summary>Two face templates (verify-matcher).</summary>
    Templates,
}

internal static class ServiceReferences
{
    public const string PipelineName = "pipeline";

    public static readonly IReadOnlyList<ServiceReference> All =
    [
        new(ServiceNames.FaceDetectorFaceFitter,
            "Finds every face in the photo and fits it: a box with the detector's confidence, the vendor's 21 keypoints " +
            "(brows, eyes, nose, mouth, chin, ear bottoms; v2 as named points in [0, 1], v1 as pixel triplets under " +
            "`fitter`) and the head pose (yaw, pitch, roll in degrees; v2 `pose`, v1 `angles`). It is the first stage of " +
            "every face chain: pass its answer on to the estimators, the quality check or the template extractor. " +
            "YuNet detector, PFLD landmarks, FSA-Net head pose.",
            "faces.md", ExampleKind.Image),
        new(ServiceNames.FaceDetectorTemplateExtractor,
            "Detection and template extraction in one call: every face gets the detector's fields and a face template " +
            "(v2 `template` NDARRAY, v1 `$template` + `template_size`) ready for verify-matcher. Same models as " +
            "face-detector-face-fitter followed by template-extractor.",
            "templates.md", ExampleKind.Image),
        new(ServiceNames.FaceDetectorLivenessEstimator,
            "Detection and liveness in one call: every face gets the detector's fields and `liveness` " +
            "(`value` real/fake with its `confidence`), from a single photo (passive liveness: no video, no challenge).",
            "liveness.md", ExampleKind.Image),
        new(ServiceNames.BodyDetector,
            "Finds people: one object of class `body` per person, with a box and the detector's confidence. Face " +
            "objects already in the request pass back untouched, so it can run before or after the face services. " +
            "YOLOX-nano by default.",
            "bodies.md", ExampleKind.Image),
        new(ServiceNames.GenderEstimator,
            "Adds `gender` (v2 `male`/`female`, v1 `MALE`/`FEMALE`) to every face object of the request; the faces come " +
            "from a detector (their `bbox` is enough). Near chance for children under 4 — see the page for the " +
            "measured accuracy by age and group.",
            "attributes.md", ExampleKind.ImageAndFace),
        new(ServiceNames.AgeEstimator,
            "Adds `age` (years, as the contract's string) to every face object of the request; the faces come from a " +
            "detector (their `bbox` is enough). Measured mean absolute error: 4.9 years overall, 1.5 under 13; people over " +
            "55 come out about 5 years too young.",
            "attributes.md", ExampleKind.ImageAndFace),
        new(ServiceNames.EmotionEstimator,
            "Adds `emotions`: a confidence for each of 7 classes (angry, disgusted, scared, happy, neutral, sad, " +
            "surprised) to every face object of the request. FER2013-trained classifier on the face crop.",
            "attributes.md", ExampleKind.ImageAndFace),
        new(ServiceNames.MaskEstimator,
            "Adds whether the face wears a medical mask, with a confidence: v2 `has_medical_mask`, v1 `mask`, each " +
            "`{value, confidence}`, to every face object of the request.",
            "attributes.md", ExampleKind.ImageAndFace),
        new(ServiceNames.LivenessEstimator,
            "Adds `liveness` (`value` real/fake, `confidence`) to every face object: is this a live person in front of " +
            "the camera or a photo/screen replay. Best on the face fitter's output; a box alone also works.",
            "liveness.md", ExampleKind.ImageAndFace),
        new(ServiceNames.QualityAssessmentEstimator,
            "Adds `quality`: 29 fields in the style of ISO/IEC 29794-5 — a total score and pass/fail checks with their " +
            "values (sharpness, illumination, flare, eyes open, head rotation, mask, neutral expression, eye distance, " +
            "margins, noise, watermark, dynamic range, background uniformity). v1 nests them under `quality.qaa` in " +
            "camelCase.",
            "quality.md", ExampleKind.ImageAndFace),
        new(ServiceNames.TemplateExtractor,
            "Adds a face template to every face object (v2 `template`, v1 `$template` + `template_size`): the compact " +
            "identity vector that verify-matcher compares. Best on the face fitter's output, which aligns the face by " +
            "its keypoints; a box alone also works.",
            "templates.md", ExampleKind.ImageAndFace),
        new(ServiceNames.VerifyMatcher,
            "Compares exactly two face templates (no image needed) and adds a top-level `verification`: `score`, a " +
            "calibrated similarity (about 0 for strangers, 0.9 or more for a typical pair of one person; 0.5 or more " +
            "means a false accept rate of at most 1e-3), `fa_r` and `fr_r` — the false accept and false reject rates " +
            "if the threshold were this pair's score — and the raw `distance`.",
            "templates.md", ExampleKind.Templates),
        new(PipelineName,
            "Runs several services in order over one photo in a single request: each stage gets the image and the " +
            "previous stage's objects, so `services=face-detector-face-fitter,quality-assessment-estimator` detects and " +
            "fits once and adds quality to every face. `timings=true` adds the server milliseconds of each stage and " +
            "the total. The demo page at `/` uses this route for its full analysis.",
            "distributed.md", ExampleKind.Image),
    ];

    public static ServiceReference? Find(string name) => All.FirstOrDefault(s => s.Name == name);
}
