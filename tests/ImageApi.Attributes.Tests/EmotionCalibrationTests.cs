namespace ImageApi.Attributes.Tests;

public sealed class EmotionCalibrationTests
{
    private static float[] Distribution() => [0.30f, 0.05f, 0.05f, 0.20f, 0.25f, 0.10f, 0.05f];

    [Fact]
    public void Parse_Empty_IsIdentityAndLeavesProbabilities()
    {
        var c = EmotionCalibration.Parse([]);
        Assert.True(c.IsIdentity);
        var p = Distribution();
        c.Apply(p);
        Assert.Equal(Distribution(), p);
    }

    [Fact]
    public void Apply_RaisedClass_GainsProbabilityAndStaysADistribution()
    {
        // exp(ln 3) triples DISGUSTED's weight before renormalising: 0.15 / 1.10.
        var c = EmotionCalibration.Parse(["disgusted:" + MathF.Log(3).ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        var p = Distribution();
        c.Apply(p);
        Assert.Equal(0.15f / 1.10f, p[1], 4);
        Assert.Equal(0.30f / 1.10f, p[0], 4);
        Assert.Equal(1f, p.Sum(), 5);
    }

    [Fact]
    public void Apply_LargeOffset_CanChangeTheTopClass()
    {
        var p = Distribution();
        EmotionCalibration.Parse(["SAD:2"]).Apply(p);
        Assert.Equal(5, Array.IndexOf(p, p.Max()));
    }

    [Theory]
    [InlineData("CONTEMPT:1")]
    [InlineData("ANGRY=1")]
    [InlineData("ANGRY:x")]
    [InlineData("ANGRY:NaN")]
    public void Parse_BadText_Throws(string text) => Assert.Throws<InvalidOperationException>(() => EmotionCalibration.Parse([text]));

    [Fact]
    public void ToString_RoundTrips()
    {
        var c = EmotionCalibration.Parse(["ANGRY:-0.25", "SCARED:1.5", "SURPRISED:0.125"]);
        Assert.Equal(c.Offsets, EmotionCalibration.Parse(c.Entries()).Offsets);
        Assert.Equal(1.5f, c.Offsets[2]);
    }
}
