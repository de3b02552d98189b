using ImageApi.Faces;
using ImageApi.Imaging;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace ImageApi.Identification.Tests;

/// <summary>Real face templates of both methods: every face the product finds in shared/testdata identity and group
/// photos, extracted once for the class.</summary>
public sealed class RealTemplates : IAsyncLifetime
{
    public ReferenceRoc Roc { get; private set; } = null!;

    /// <summary>(person, vector) per method; the person is the photo's identity (file name without its number) for
    /// the largest face of identity photos, the photo and face index for group photos.</summary>
    public Dictionary<TemplateMethod, List<(string Person, float[] Vector)>> Faces { get; } = [];

    private ImageApiFactory? _factory;

    public Task InitializeAsync()
    {
        _factory = new ImageApiFactory();
        var services = _factory.Services;
        Roc = services.GetRequiredService<ReferenceRoc>();
        var fitting = services.GetRequiredService<FaceFitting>();
        var extractor = services.GetRequiredService<FaceTemplateExtractor>();
        var decoder = services.GetRequiredService<ImageDecoder>();
        foreach (var method in TemplateMethod.All) Faces[method] = [];
        foreach (var file in TestData.Files("identity").Concat(TestData.Files("group")))
        {
            var source = new ImageSource(TestData.Bytes(file), decoder);
            var faces = fitting.Fit(source);
            var name = Path.GetFileNameWithoutExtension(file);
            var identity = file.StartsWith("identity", StringComparison.Ordinal) ? name[..name.LastIndexOf('_')] : null;
            var chosen = identity is null ? faces : faces.OrderByDescending(f => f.Box.Width * f.Box.Height).Take(1).ToList();
            foreach (var method in TemplateMethod.All)
            {
                var vectors = extractor.For(method).Extract(source, [.. chosen.Select(f => f.FivePoints)]);
                for (var i = 0; i < vectors.Length; i++) Faces[method].Add((identity ?? $"{name}-{i}", vectors[i]));
            }
        }

        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        if (_factory is not null) await _factory.DisposeAsync();
    }
}

/// <summary>
/// The approximate index (int8 codes + exact re-scoring from the store) against the exact one, over the same store:
/// real templates of both methods, each with look-alikes (the template plus noise, so many rows crowd the probe's
/// neighbourhood — where quantisation could reorder them) and random distractors.
/// </summary>
public sealed class QuantizedIndexTests(RealTemplates real) : IClassFixture<RealTemplates>
{
    private const int ApproximateAbove = 300;
    private static readonly MatchThreshold All = new(null, 0);

    private static float[] Noisy(float[] v, double sigma, Random rng)
    {
        var x = new float[v.Length];
        for (var i = 0; i < x.Length; i++)
        {
            // Box-Muller: Gaussian noise of the given per-element deviation.
            var n = Math.Sqrt(-2 * Math.Log(1 - rng.NextDouble())) * Math.Cos(2 * Math.PI * rng.NextDouble());
            x[i] = v[i] + (float)(sigma * n);
        }

        UnitVector.Normalize(x);
        return x;
    }

    private static FaceTemplate Template(float[] v, TemplateMethod method)
    {
        Assert.True(FaceTemplate.TryParse(FaceTemplate.Serialize(v, TemplateElementType.Float32, method), out var t, out _));
        return t!;
    }

    private Galleries Open(IGalleryStore store, int approximateAbove) =>
        new(store, real.Roc, Options.Create(new IdentificationOptions { ApproximateAbove = approximateAbove }), NullLogger<Galleries>.Instance);

    /// <summary>A gallery "g" of the method's real templates, 24 look-alikes of each (noise from close to far) and 400
    /// random distractors, enrolled through the approximate host.</summary>
    private async Task<(Galleries Approximate, List<float[]> Probes)> EnrolAsync(SqliteGalleryStore store, TemplateMethod method, Random rng)
    {
        var approximate = Open(store, ApproximateAbove);
        await approximate.CreateGalleryAsync("g", null, null, CancellationToken.None);
        var faces = real.Faces[method];
        Assert.True(faces.Count >= 20, $"{faces.Count} real faces of {method.Name}");
        var rows = new List<(string Person, float[] Vector)>(faces);
        var scale = 1 / Math.Sqrt(method.Dimension);
        for (var f = 0; f < faces.Count; f++)
        {
            for (var j = 0; j < 24; j++) rows.Add(($"look-{f}-{j}", Noisy(faces[f].Vector, scale * (0.3 + 0.05 * j), rng)));
        }

        for (var d = 0; d < 400; d++) rows.Add(($"random-{d}", Noisy(new float[method.Dimension], 1, rng)));
        foreach (var group in rows.GroupBy(r => r.Person))
        {
            await approximate.AddPersonAsync("g", group.Key, null, CancellationToken.None);
            await approximate.EnrolAsync("g", group.Key, [.. group.Select(r => Template(r.Vector, method))], CancellationToken.None);
        }

        // Probes: the real templates themselves (each has an identical row) and noisy copies of them (none has).
        var probes = faces.Select(f => f.Vector).Concat(faces.Select(f => Noisy(f.Vector, scale * 0.5, rng))).ToList();
        return (approximate, probes);
    }

    [Fact]
    public async Task ApproximateSearch_OnRealTemplates_EqualsExactSearch_BitForBit_BothMethods()
    {
        var rng = new Random(22);
        foreach (var method in TemplateMethod.All)
        {
            var dir = Path.Combine(Path.GetTempPath(), "imageapi-tests", "quantized-" + Guid.NewGuid().ToString("N"));
            var store = new SqliteGalleryStore(dir);
            try
            {
                var (approximate, probes) = await EnrolAsync(store, method, rng);
                var exact = Open(store, int.MaxValue);
                await exact.Started;
                Assert.True(approximate.IsApproximate("g"));
                Assert.False(exact.IsApproximate("g"));
                Assert.Equal((await exact.GetGalleryAsync("g", CancellationToken.None)).Templates, (await approximate.GetGalleryAsync("g", CancellationToken.None)).Templates);
                foreach (var vector in probes)
                {
                    var probe = Template(vector, method);
                    var expected = await exact.SearchAsync("g", probe, 10, All, CancellationToken.None);
                    var actual = await approximate.SearchAsync("g", probe, 10, All, CancellationToken.None);
                    Assert.Equal(10, expected.Count);

                    // Records: the same persons in the same order with equal score, distance, fa_r and fr_r doubles.
                    Assert.Equal(expected, actual);
                }

                // A restart of the approximate host rebuilds straight into codes and still answers alike.
                var restarted = Open(store, ApproximateAbove);
                await restarted.Started;
                Assert.True(restarted.IsApproximate("g"));
                var first = Template(probes[0], method);
                Assert.Equal(await exact.SearchAsync("g", first, 10, All, CancellationToken.None), await restarted.SearchAsync("g", first, 10, All, CancellationToken.None));
            }
            finally
            {
                await store.DisposeAsync();
                Directory.Delete(dir, true);
            }
        }
    }

    [Fact]
    public async Task ApproximateIndex_ReflectsDeletesAndEnrolments()
    {
        var method = TemplateMethod.OmzReid0095;
        var dir = Path.Combine(Path.GetTempPath(), "imageapi-tests", "quantized-" + Guid.NewGuid().ToString("N"));
        var store = new SqliteGalleryStore(dir);
        try
        {
            var (approximate, probes) = await EnrolAsync(store, method, new Random(5));
            Assert.True(approximate.IsApproximate("g"));
            var probe = Template(probes[^1], method); // a noisy copy: its nearest row is a real face's
            var before = await approximate.SearchAsync("g", probe, 10, All, CancellationToken.None);
            var top = before[0].PersonId;

            await approximate.DeletePersonAsync("g", top, CancellationToken.None);
            var after = await approximate.SearchAsync("g", probe, 10, All, CancellationToken.None);
            Assert.DoesNotContain(after, m => m.PersonId == top);
            Assert.Equal(before.Skip(1).Take(9), after.Take(9));

            // A new person enrolled with the probe itself is found first, with verify-matcher's fields for the pair.
            await approximate.AddPersonAsync("g", "newcomer", null, CancellationToken.None);
            await approximate.EnrolAsync("g", "newcomer", [probe], CancellationToken.None);
            var found = await approximate.SearchAsync("g", probe, 10, All, CancellationToken.None);
            Assert.Equal("newcomer", found[0].PersonId);
            Assert.Equal(Verification.Of(probe, probe, real.Roc.For(method)), found[0].Verification);

            // The exact index over the same store (a fresh host) agrees with what the approximate one now answers.
            var exact = Open(store, int.MaxValue);
            Assert.Equal(await exact.SearchAsync("g", probe, 10, All, CancellationToken.None), found);
        }
        finally
        {
            await store.DisposeAsync();
            Directory.Delete(dir, true);
        }
    }

    [Fact]
    public void Matrix_TurnsApproximate_AboveTheThreshold_AndExactAgainOnceEmptied()
    {
        var rng = new Random(3);
        var matrix = new GalleryMatrix(new GalleryInfo("g", 1e-3, null, DateTimeOffset.UtcNow), new IndexSettings(ApproximateAbove: 50));
        var dim = TemplateMethod.MobileFaceNet.Dimension;
        for (var i = 0; i < 50; i++) matrix.Add(i, TemplateMethod.MobileFaceNet, "p" + i, Noisy(new float[dim], 1, rng));
        Assert.False(matrix.IsApproximate);
        var probe = Noisy(new float[dim], 1, rng);
        Assert.NotNull(matrix.Search(probe, 3, out var candidates)[0].Vector);
        Assert.False(candidates);

        matrix.Add(50, TemplateMethod.MobileFaceNet, "p50", probe);
        Assert.True(matrix.IsApproximate);
        var hits = matrix.Search(probe, 3, out candidates);
        Assert.True(candidates);
        Assert.Equal(3 * 8, hits.Count); // k · CandidateFactor rows
        Assert.Equal(50, hits[0].TemplateId);
        Assert.Null(hits[0].Vector);
        Assert.InRange(hits[0].Cosine, 0.99f, 1.01f);

        for (var i = 0; i <= 50; i++) matrix.RemovePerson("p" + i);
        Assert.Equal(0, matrix.Count);
        matrix.Add(100, TemplateMethod.MobileFaceNet, "q", probe);
        Assert.False(matrix.IsApproximate);
        Assert.Equal(1f, Assert.Single(matrix.Search(probe, 3)).Cosine, 5);
    }

    [Fact]
    public void Candidates_HoldEveryExactTopKPersonsBestRow_AndApproximateItsCosine()
    {
        var rng = new Random(17);
        var dim = TemplateMethod.OmzReid0095.Dimension;
        var matrix = new GalleryMatrix(new GalleryInfo("g", 1e-3, null, DateTimeOffset.UtcNow), new IndexSettings(ApproximateAbove: 0, CandidateFactor: 4));
        var rows = new List<(long Id, string Person, float[] Vector)>();
        for (var i = 0; i < 4000; i++)
        {
            var row = ((long)i, "p" + rng.Next(1500), Noisy(new float[dim], 1, rng));
            rows.Add(row);
            matrix.Add(row.Item1, TemplateMethod.OmzReid0095, row.Item2, row.Item3);
        }

        for (var q = 0; q < 20; q++)
        {
            var probe = Noisy(rows[rng.Next(rows.Count)].Vector, 0.04, rng);
            var exactBest = rows.GroupBy(r => r.Person)
                .Select(g => g.MaxBy(r => UnitVector.Dot(probe, r.Vector)))
                .OrderByDescending(r => UnitVector.Dot(probe, r.Vector)).Take(10).ToList();
            var hits = matrix.Search(probe, 10, out var candidates);
            Assert.True(candidates);
            foreach (var best in exactBest) Assert.Contains(hits, h => h.TemplateId == best.Id && h.PersonId == best.Person);
            foreach (var h in hits) Assert.InRange(h.Cosine - UnitVector.Dot(probe, rows[(int)h.TemplateId].Vector), -0.01f, 0.01f);
        }
    }
}
