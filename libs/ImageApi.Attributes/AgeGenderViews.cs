namespace ImageApi.Attributes;

/// <summary>The test-time views shared by the age/gender families: mirror images, and the average over views.</summary>
internal static class AgeGenderViews
{
    /// <summary>The crops, followed by their mirror images when <paramref name="flip"/> is on.</summary>
    public static List<RgbImage> WithMirrors(IEnumerable<RgbImage> crops, bool flip)
    {
        var list = crops.ToList();
        if (flip) list.AddRange([.. list.Select(ImageSampler.MirrorHorizontal)]);
        return list;
    }

    /// <summary>Averages the views of each face: the batch holds <c>views × count</c> items, view-major (crop scales,
    /// then their mirror images when flip is on).</summary>
    public static AgeGenderEstimate[] Combine(int count, Func<int, AgeGenderEstimate> read, int views)
    {
        var result = new AgeGenderEstimate[count];
        for (var i = 0; i < count; i++)
        {
            float age = 0, female = 0;
            for (var v = 0; v < views; v++)
            {
                var e = read(v * count + i);
                age += e.Age;
                female += e.FemaleProbability;
            }

            result[i] = new AgeGenderEstimate(age / views, female / views);
        }

        return result;
    }
}
