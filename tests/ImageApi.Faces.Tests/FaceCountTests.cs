using System.Globalization;

namespace ImageApi.Faces.Tests;

/// <summary>Face counts and boxes against the labels of shared/testdata (labels.csv).</summary>
public sealed class FaceCountTests(FaceStageFixture stage) : IClassFixture<FaceStageFixture>
{
    public static TheoryData<string> GroupFiles() =>
        [.. TestData.Files("group").Where(f => Path.GetFileName(f).StartsWith("compreface_", StringComparison.Ordinal))];

    public static TheoryData<string> NoFaceFiles() => [.. TestData.Files("no_face")];

    public static TheoryData<string> EdgeCaseFiles() => [.. TestData.Files("edge_cases")];

    [Theory]
    [MemberData(nameof(GroupFiles))]
    public void Fit_CompreFaceGroup_FindsExactlyTheNumberInTheName(string file)
    {
        var expected = int.Parse(Path.GetFileNameWithoutExtension(file).Split('_')[^1], CultureInfo.InvariantCulture);
        Assert.Equal(expected, stage.Fit(file).Count);
    }

    [Theory]
    [MemberData(nameof(NoFaceFiles))]
    public void Fit_NoFacePhoto_FindsNothing(string file) => Assert.Empty(stage.Fit(file));

    [Theory]
    [MemberData(nameof(EdgeCaseFiles))]
    public void Fit_EdgeCase_FindsItsFace(string file)
    {
        // RGBA PNG, 240p frame (face ≈ 30 px), face cut by the border, head turned: one person each.
        var faces = stage.Fit(file);
        Assert.Single(faces);
    }

    [Fact]
    public void Fit_AllFilesWithNumFaces_AtLeast95PercentExact()
    {
        var labelled = TestData.Labels.Where(r => r["num_faces"].Length > 0).ToList();
        Assert.True(labelled.Count >= 20, "labels.csv lost its num_faces column");
        var misses = new List<string>();
        foreach (var row in labelled)
        {
            var found = stage.Fit(row["file"]).Count;
            if (found != int.Parse(row["num_faces"], CultureInfo.InvariantCulture)) misses.Add($"{row["file"]}: {found} (label {row["num_faces"]})");
        }

        var exact = 1 - misses.Count / (double)labelled.Count;
        Assert.True(exact >= 0.95, $"{exact:P0} exact; misses: {string.Join("; ", misses)}");
    }

    [Fact]
    public void Fit_CompreFace000_BoxesWithin20PxOfLabels()
    {
        // labels.csv face_boxes: "xmin,ymin,xmax,ymax / …", tolerance 20 px (CompreFace scanner/test/test_detector.py).
        var row = TestData.Label("group/compreface_000_5.jpg")!;
        var labelled = row["face_boxes"].Split('/').Select(b =>
        {
            var v = b.Split(',').Select(x => float.Parse(x, CultureInfo.InvariantCulture)).ToArray();
            return new Box(v[0], v[1], v[2], v[3]);
        }).ToList();
        var found = stage.Fit("group/compreface_000_5.jpg").Select(f => f.Box).ToList();
        Assert.Equal(labelled.Count, found.Count);
        foreach (var want in labelled)
        {
            var got = found.MaxBy(f => f.IoU(want));
            var worst = new[] { got.X1 - want.X1, got.Y1 - want.Y1, got.X2 - want.X2, got.Y2 - want.Y2 }.Max(MathF.Abs);
            Assert.True(worst <= 20, $"label {want} vs found {got}: off by {worst:F1} px");
        }
    }

    [Fact]
    public void Fit_Faces_SortedByDescendingConfidence()
    {
        var faces = stage.Fit("group/compreface_016_8.jpg");
        Assert.Equal(faces.Select(f => f.Score).OrderByDescending(s => s), faces.Select(f => f.Score));
    }
}
