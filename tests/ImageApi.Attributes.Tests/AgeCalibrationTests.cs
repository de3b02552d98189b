namespace ImageApi.Attributes.Tests;

public sealed class AgeCalibrationTests
{
    [Fact]
    public void Parse_Empty_IsIdentity()
    {
        var c = AgeCalibration.Parse([]);
        Assert.True(c.IsIdentity);
        Assert.Equal(42.5f, c.Apply(42.5f));
    }

    [Fact]
    public void Apply_BetweenKnots_Interpolates()
    {
        var c = AgeCalibration.Parse(["10:10", "50:60"]);
        Assert.Equal(35f, c.Apply(30f), 3);
    }

    [Fact]
    public void Apply_OutsideKnots_ContinuesWithSlopeOne()
    {
        var c = AgeCalibration.Parse(["10:12", "50:60"]);
        Assert.Equal(7f, c.Apply(5f), 3);
        Assert.Equal(70f, c.Apply(60f), 3);
    }

    [Theory]
    [InlineData("10:10", "5:20")]
    [InlineData("10:30", "20:20")]
    [InlineData("ten:10")]
    [InlineData("10")]
    public void Parse_BadKnots_Throws(params string[] knots) => Assert.Throws<InvalidOperationException>(() => AgeCalibration.Parse(knots));

    [Fact]
    public void ToString_RoundTrips()
    {
        var c = AgeCalibration.Parse(["3:2.5", "40:45"]);
        Assert.Equal("3:2.5,40:45", c.ToString());
    }
}
