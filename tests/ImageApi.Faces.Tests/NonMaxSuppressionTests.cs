namespace ImageApi.Faces.Tests;

public sealed class NonMaxSuppressionTests
{
    [Fact]
    public void Run_OverlappingBoxes_KeepsBestAndDisjoint()
    {
        // A and B overlap by IoU 81/119 = 0.68; C is disjoint.
        Box[] boxes = [new(1, 1, 11, 11), new(0, 0, 10, 10), new(20, 20, 30, 30)];
        float[] scores = [0.8f, 0.9f, 0.7f];
        Assert.Equal([1, 2], NonMaxSuppression.Run(boxes, scores, 0.3f));
    }

    [Fact]
    public void Run_OverlapBelowLimit_KeepsBothInScoreOrder()
    {
        // IoU of these two = 25/175 = 0.143 < 0.3.
        Box[] boxes = [new(0, 0, 10, 10), new(5, 5, 15, 15)];
        Assert.Equal([1, 0], NonMaxSuppression.Run(boxes, [0.6f, 0.7f], 0.3f));
        Assert.Equal([1], NonMaxSuppression.Run(boxes, [0.6f, 0.7f], 0.1f));
    }

    [Fact]
    public void Run_Empty_ReturnsEmpty() => Assert.Empty(NonMaxSuppression.Run([], [], 0.3f));
}
