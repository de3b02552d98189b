namespace ImageApi.Orchestration;

/// <summary>
/// The multi-stage vendor services as chains of single-stage ones, for an orchestrator told to compose them
/// (<see cref="OrchestratorOptions.ComposedServices"/>) instead of forwarding them to their own app.
/// </summary>
public static class CompositeServices
{
    public static readonly IReadOnlyDictionary<string, IReadOnlyList<string>> Stages = new Dictionary<string, IReadOnlyList<string>>
    {
        [ServiceNames.FaceDetectorTemplateExtractor] = [ServiceNames.FaceDetectorFaceFitter, ServiceNames.TemplateExtractor],
        [ServiceNames.FaceDetectorLivenessEstimator] = [ServiceNames.FaceDetectorFaceFitter, ServiceNames.LivenessEstimator],
    };

    // The fitter's output that the composites' contract does not return (spec examples of both composites:
    // id, class, confidence, bbox and the estimate only): v1 fitter + angles, v2 keypoints + pose.
    private static readonly string[] IntermediateFields = [FieldNames.Fitter, FieldNames.Angles, FieldNames.Keypoints, FieldNames.Pose];

    public static bool IsComposite(string service) => Stages.ContainsKey(service);

    /// <summary>Removes from every face object what only the intermediate fitter stage wrote.</summary>
    public static void RemoveIntermediateFields(JsonObject answer)
    {
        if (answer[FieldNames.Objects] is not JsonArray objects) return;
        foreach (var o in objects.OfType<JsonObject>())
        {
            if (o[FieldNames.Class] is not JsonValue c || !c.TryGetValue<string>(out var cls) || cls != FieldNames.ClassFace) continue;
            foreach (var field in IntermediateFields) o.Remove(field);
        }
    }
}
