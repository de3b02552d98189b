using Microsoft.AspNetCore.Mvc.Testing;
using Xunit.Abstractions;
using static ImageApi.Templates.Tests.TemplateRequests;

namespace ImageApi.Templates.Tests;

/// <summary>
/// The measured acceptance of issues 7 and 26 on shared/testdata, for every template method: at the method's own
/// reference ROC FAR 1e-3 threshold (chosen on the calibration set, never on these images) every same-identity pair is
/// accepted and every different-identity pair rejected — through the services (face-detector-template-extractor, then
/// verify-matcher) of a host making templates with that method.
/// </summary>
public sealed class IdentityVerificationTests(ImageApiFactory factory, ITestOutputHelper output) : IClassFixture<ImageApiFactory>
{
    private WebApplicationFactory<Program> _host = factory;
    private RocThreshold Far1e3 { get; set; } = null!;
    private TemplateMethod _method = DefaultMethod;

    /// <summary>Points the test at a host of <paramref name="method"/> and that method's FAR 1e-3 threshold.</summary>
    private WebApplicationFactory<Program>? Use(string method)
    {
        var m = TemplateMethod.Named(method)!;
        _method = m;
        Far1e3 = RocTable.LoadBuiltIn(m).ThresholdFor(1e-3) ?? throw new InvalidOperationException("the reference ROC has no FAR 1e-3 threshold");
        if (m == DefaultMethod) return null;
        var host = factory.WithMethod(method);
        _host = host;
        return host;
    }

    /// <summary>group/two_people.jpg has no identities column; its curator note says "2 people: Obama and Biden".</summary>
    private static readonly Dictionary<string, string[]> CuratorIdentities = new() { ["group/two_people.jpg"] = ["obama", "biden"] };

    private async Task<JsonObject> TemplateOfLargestFaceAsync(string file)
    {
        var (status, body) = await _host.PostAsync(ServiceNames.FaceDetectorTemplateExtractor, ImageBody(file, ApiVersion.V1));
        Assert.Equal(200, status);
        var faces = FacesBySize(body);
        Assert.True(faces.Count > 0, $"{file}: no face");
        Assert.Equal(_method, Parse(faces[0], ApiVersion.V1).Method); // the host made it with the method under test
        return TemplateOnly(faces[0], ApiVersion.V1);
    }

    private async Task<double> ScoreAsync(JsonObject a, JsonObject b)
    {
        var (status, body) = await _host.PostAsync(ServiceNames.VerifyMatcher, VerifyBody((JsonObject)a.DeepClone(), (JsonObject)b.DeepClone()));
        Assert.Equal(200, status);
        return body!["verification"]!["score"]!.GetValue<double>();
    }

    private static async Task<Dictionary<string, List<(string File, JsonObject Template)>>> EnrolAsync(Func<string, Task<JsonObject>> extract)
    {
        var byIdentity = new Dictionary<string, List<(string, JsonObject)>>();
        foreach (var file in TestData.Files("identity"))
        {
            var identity = TestData.Label(file)?["identity"];
            Assert.False(string.IsNullOrEmpty(identity), $"{file}: no identity label");
            if (!byIdentity.TryGetValue(identity!, out var list)) byIdentity[identity!] = list = [];
            list.Add((file, await extract(file)));
        }

        return byIdentity;
    }

    [Theory]
    [MemberData(nameof(Methods), MemberType = typeof(TemplateRequests))]
    public async Task Identity_EveryPair_SeparatedByFar1e3Threshold(string method)
    {
        await using var host = Use(method);
        var enrolled = await EnrolAsync(TemplateOfLargestFaceAsync);
        var all = enrolled.SelectMany(kv => kv.Value.Select(v => (Identity: kv.Key, v.File, v.Template))).ToList();
        var errors = new List<string>();
        double minGenuine = 1, maxImpostor = 0;
        int genuine = 0, impostor = 0;
        for (var i = 0; i < all.Count; i++)
        {
            for (var j = i + 1; j < all.Count; j++)
            {
                var score = await ScoreAsync(all[i].Template, all[j].Template);
                var same = all[i].Identity == all[j].Identity;
                if (same) { genuine++; minGenuine = Math.Min(minGenuine, score); }
                else { impostor++; maxImpostor = Math.Max(maxImpostor, score); }
                if (same != score >= Far1e3.Score) errors.Add($"{all[i].File} vs {all[j].File}: score {score:F4} ({(same ? "same" : "different")})");
            }
        }

        output.WriteLine($"{method}: threshold distance {Far1e3.Distance:F4}, score {Far1e3.Score:F4}; {genuine} genuine pairs (min {minGenuine:F4}), {impostor} impostor pairs (max {maxImpostor:F4})");
        Assert.True(genuine > 10 && impostor > 100, $"{genuine} genuine, {impostor} impostor pairs");
        Assert.True(errors.Count == 0, string.Join("\n", errors));
    }

    [Theory]
    [MemberData(nameof(Methods), MemberType = typeof(TemplateRequests))]
    public async Task Group_LabelledFaces_MatchTheirIdentitiesOnly(string method)
    {
        await using var host = Use(method);
        var enrolled = await EnrolAsync(TemplateOfLargestFaceAsync);
        var groups = TestData.Files("group")
            .Select(f => (File: f, Ids: CuratorIdentities.TryGetValue(f, out var c) ? c
                : (TestData.Label(f)?["identities"] ?? "").Split(';', StringSplitOptions.RemoveEmptyEntries)))
            .Where(g => g.Ids.Length >= 2)
            .ToList();
        Assert.True(groups.Count >= 3, $"{groups.Count} labelled group photos");
        var errors = new List<string>();
        foreach (var (file, ids) in groups)
        {
            var (status, body) = await _host.PostAsync(ServiceNames.FaceDetectorTemplateExtractor, ImageBody(file, ApiVersion.V1));
            Assert.Equal(200, status);
            // The labelled people are the largest faces; their identities are not tied to positions, so every
            // assignment of faces to identities is tried and one must separate all pairs.
            var faces = FacesBySize(body).Take(ids.Length).Select(f => TemplateOnly(f, ApiVersion.V1)).ToList();
            Assert.True(faces.Count == ids.Length, $"{file}: {faces.Count} faces, {ids.Length} labelled");
            var scores = new double[faces.Count, ids.Length][];
            for (var f = 0; f < faces.Count; f++)
            for (var k = 0; k < ids.Length; k++)
            {
                var list = new List<double>();
                foreach (var (_, t) in enrolled[ids[k]]) list.Add(await ScoreAsync(faces[f], t));
                scores[f, k] = [.. list];
            }

            var faceVsFace = await ScoreAsync(faces[0], faces[1]);
            var anyValid = Permutations(ids.Length).Any(p => Enumerable.Range(0, faces.Count).All(f =>
                Enumerable.Range(0, ids.Length).All(k => k == p[f]
                    ? scores[f, k].All(s => s >= Far1e3.Score)
                    : scores[f, k].All(s => s < Far1e3.Score))));
            var others = enrolled.Keys.Except(ids).ToList();
            for (var f = 0; f < faces.Count; f++)
            {
                foreach (var other in others)
                {
                    foreach (var (otherFile, t) in enrolled[other])
                    {
                        var s = await ScoreAsync(faces[f], t);
                        if (s >= Far1e3.Score) errors.Add($"{file} face {f} accepted as {otherFile} (score {s:F4})");
                    }
                }
            }

            if (!anyValid) errors.Add($"{file}: no assignment of its faces to {string.Join("/", ids)} separates them at score {Far1e3.Score:F4}");
            if (faceVsFace >= Far1e3.Score) errors.Add($"{file}: its two people accepted as one (score {faceVsFace:F4})");
            output.WriteLine($"{file}: faces vs {string.Join("/", ids)}: " + string.Join("; ", Enumerable.Range(0, faces.Count).Select(f =>
                string.Join(", ", Enumerable.Range(0, ids.Length).Select(k => $"{ids[k]} min {scores[f, k].Min():F3} max {scores[f, k].Max():F3}")))));
        }

        Assert.True(errors.Count == 0, string.Join("\n", errors));
    }

    private static IEnumerable<int[]> Permutations(int n)
    {
        if (n == 1) { yield return [0]; yield break; }
        foreach (var p in Permutations(n - 1))
        {
            for (var i = 0; i <= p.Length; i++) yield return [.. p[..i], n - 1, .. p[i..]];
        }
    }
}
