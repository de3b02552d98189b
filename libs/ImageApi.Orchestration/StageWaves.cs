using ImageApi.Hosting;
using ImageApi.Imaging;

namespace ImageApi.Orchestration;

/// <summary>
/// Which stages of a pipeline may run at the same time in their own apps, and how their answers join into the one a
/// sequential run gives. The per-face estimators read only what the fitter wrote (boxes, keypoints, pose) and each
/// writes its own field on each face, so consecutive estimators can be asked at once; quality waits for emotion and
/// mask, whose results it reuses (<see cref="FaceResultsHandOff"/>). Detectors, the fitter, the composites and the
/// services that read templates (face-identifier, verify-matcher) stay in order.
/// </summary>
public static class StageWaves
{
    private static readonly HashSet<string> FaceEstimators =
    [
        ServiceNames.GenderEstimator, ServiceNames.AgeEstimator, ServiceNames.EmotionEstimator, ServiceNames.MaskEstimator,
        ServiceNames.LivenessEstimator, ServiceNames.QualityAssessmentEstimator, ServiceNames.TemplateExtractor,
    ];

    // A stage that reuses another's results runs after it (it would run that model again otherwise).
    private static readonly Dictionary<string, string[]> Reuses = new()
    {
        [ServiceNames.QualityAssessmentEstimator] = [ServiceNames.EmotionEstimator, ServiceNames.MaskEstimator],
    };

    /// <summary>The services in order, grouped into waves: every service of a wave may run at the same time as the others.</summary>
    public static List<List<string>> Of(IReadOnlyList<string> services)
    {
        ArgumentNullException.ThrowIfNull(services);
        var waves = new List<List<string>>();
        List<string>? wave = null;
        foreach (var service in services)
        {
            var joins = wave is not null && FaceEstimators.Contains(service) && wave.All(FaceEstimators.Contains)
                        && !wave.Contains(service)
                        && !wave.Any(w => Reuses.TryGetValue(service, out var r) && r.Contains(w));
            if (joins)
            {
                wave!.Add(service);
                continue;
            }

            wave = [service];
            waves.Add(wave);
        }

        return waves;
    }

    /// <summary>
    /// The answer a sequential run of the wave would give: <paramref name="input"/> with, in the wave's order, every
    /// field each stage added or changed on the sample and on each object, and the union of the stages' hand-off results.
    /// </summary>
    /// <exception cref="InvalidOperationException">A stage changed the number of objects (no estimator does).</exception>
    public static JsonObject Merge(JsonObject input, IReadOnlyList<(string Service, JsonObject Answer)> answers)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(answers);
        var merged = input.DeepClone().AsObject();
        var results = new FaceResults();
        if (merged.ContainsKey(FaceResultsHandOff.Field)) FaceResultsHandOff.Read(merged, results);
        var inputObjects = input[FieldNames.Objects] as JsonArray;
        foreach (var (service, answer) in answers)
        {
            FaceResultsHandOff.Read(answer, results);
            if (answer[FieldNames.Objects] is JsonArray objects && inputObjects is not null)
            {
                if (objects.Count != inputObjects.Count)
                {
                    throw new InvalidOperationException($"Stage {service} answered {objects.Count} objects for {inputObjects.Count}");
                }

                var mergedObjects = merged[FieldNames.Objects]!.AsArray();
                for (var i = 0; i < objects.Count; i++)
                {
                    if (objects[i] is JsonObject o && inputObjects[i] is JsonObject before && mergedObjects[i] is JsonObject target)
                    {
                        CopyChanges(o, before, target);
                    }
                    else if (!JsonNode.DeepEquals(objects[i], inputObjects[i]))
                    {
                        mergedObjects[i] = objects[i]?.DeepClone();
                    }
                }

                answer.Remove(FieldNames.Objects);
            }

            CopyChanges(answer, input, merged);
        }

        if (results.Entries.Count > 0) FaceResultsHandOff.Write(merged, results);
        return merged;
    }

    // A changed field is set in its place; a new one goes where the stage put it — before the first of the fields that
    // follow it in the stage's answer which the joined answer has (an estimator inserts before bbox, others append), so
    // the order is the one a sequential run gives.
    private static void CopyChanges(JsonObject answer, JsonObject before, JsonObject target)
    {
        var keys = answer.Select(p => p.Key).ToList();
        for (var i = 0; i < keys.Count; i++)
        {
            var value = answer[keys[i]];
            if (before.TryGetPropertyValue(keys[i], out var was) && JsonNode.DeepEquals(was, value)) continue;
            if (target.ContainsKey(keys[i]))
            {
                target[keys[i]] = value?.DeepClone();
                continue;
            }

            var next = keys.Skip(i + 1).FirstOrDefault(k => before.ContainsKey(k) && target.ContainsKey(k));
            if (next is null) target[keys[i]] = value?.DeepClone();
            else target.Insert(target.IndexOf(next), keys[i], value?.DeepClone());
        }
    }
}
