namespace ImageApi.Identification.Tests;

/// <summary>The exact index against a brute-force reference on random unit vectors.</summary>
public sealed class GalleryMatrixTests
{
    private static float[] RandomUnit(Random rng)
    {
        var v = new float[TemplateMethod.MobileFaceNet.Dimension];
        for (var i = 0; i < v.Length; i++) v[i] = (float)(rng.NextDouble() * 2 - 1);
        UnitVector.Normalize(v);
        return v;
    }

    [Fact]
    public void Search_IsTheBruteForceTopKOfBestTemplatePerPerson()
    {
        var rng = new Random(7);
        var matrix = new GalleryMatrix(new GalleryInfo("g", 1e-3, null, DateTimeOffset.UtcNow));
        var rows = new List<(string Person, float[] Vector)>();
        for (var i = 0; i < 3000; i++)
        {
            var person = "p" + rng.Next(1000);
            var v = RandomUnit(rng);
            rows.Add((person, v));
            matrix.Add(i, TemplateMethod.MobileFaceNet, person, v);
        }

        for (var q = 0; q < 20; q++)
        {
            var probe = RandomUnit(rng);
            var expected = rows.GroupBy(r => r.Person)
                .Select(g => (Person: g.Key, Best: g.Max(r => UnitVector.Dot(probe, r.Vector))))
                .OrderByDescending(x => x.Best).Take(10).ToList();
            var actual = matrix.Search(probe, 10);
            Assert.Equal(expected.Select(e => e.Person), actual.Select(a => a.PersonId));
            for (var i = 0; i < 10; i++) Assert.Equal(expected[i].Best, actual[i].Cosine, 6);
        }
    }

    [Fact]
    public void RemovePerson_RemovesAllItsRows_AndKeepsTheOthersFindable()
    {
        var rng = new Random(11);
        var matrix = new GalleryMatrix(new GalleryInfo("g", 1e-3, null, DateTimeOffset.UtcNow));
        var keep = RandomUnit(rng);
        matrix.Add(1, TemplateMethod.MobileFaceNet, "gone", RandomUnit(rng));
        matrix.Add(2, TemplateMethod.MobileFaceNet, "keep", keep);
        matrix.Add(3, TemplateMethod.MobileFaceNet, "gone", RandomUnit(rng));
        matrix.Add(3, TemplateMethod.MobileFaceNet, "gone", RandomUnit(rng)); // the same id twice (a change heard twice) is one row
        Assert.Equal(3, matrix.Count);
        Assert.Equal(2, matrix.RemovePerson("gone"));
        Assert.Equal(1, matrix.Count);
        var hit = Assert.Single(matrix.Search(keep, 5));
        Assert.Equal("keep", hit.PersonId);
        Assert.Equal(1f, hit.Cosine, 5);
        Assert.Empty(new GalleryMatrix(new GalleryInfo("e", 1e-3, null, DateTimeOffset.UtcNow)).Search(keep, 5));
    }

    [Fact]
    public void Add_AnotherMethod_IsRefused_UntilTheGalleryIsEmptyAgain()
    {
        var rng = new Random(13);
        var matrix = new GalleryMatrix(new GalleryInfo("m", 1e-3, null, DateTimeOffset.UtcNow));
        Assert.Null(matrix.Method);
        Assert.True(matrix.Add(1, TemplateMethod.MobileFaceNet, "a", RandomUnit(rng)));
        Assert.Equal(TemplateMethod.MobileFaceNet, matrix.Method);
        var omz = new float[TemplateMethod.OmzReid0095.Dimension];
        omz[0] = 1;
        Assert.False(matrix.Add(2, TemplateMethod.OmzReid0095, "b", omz));
        Assert.Equal(1, matrix.Count);

        // Emptied, the gallery takes the method of its next template (rows re-laid out for 256-d).
        Assert.Equal(1, matrix.RemovePerson("a"));
        Assert.Null(matrix.Method);
        Assert.True(matrix.Add(3, TemplateMethod.OmzReid0095, "b", omz));
        Assert.Equal(TemplateMethod.OmzReid0095, matrix.Method);
        Assert.Equal(1f, Assert.Single(matrix.Search(omz, 5)).Cosine, 5);
    }
}
