namespace ImageApi.Bodies.Tests;

public sealed class DecoderTests
{
    [Fact]
    public void YoloxRowCount_416_Is3549()
    {
        Assert.Equal(52 * 52 + 26 * 26 + 13 * 13, YoloxDecoder.RowCount(416));
    }

    [Fact]
    public void YoloxDecode_CellOnStride16_DecodesCentreAndSize()
    {
        // 32×32 input: stride 8 → 16 rows, stride 16 → 4, stride 32 → 1. Columns: 4 box + obj + 2 classes.
        const int cols = 7;
        var output = new float[21 * cols];
        // Stride-16 cell gx = 1, gy = 0 is row 16 + 1 = 17.
        Set(output, 17, cols, 0.5f, 0.5f, MathF.Log(2), 0, 0.8f, 0.5f, 0.1f);
        var found = YoloxDecoder.Decode(output, 32, cols, 0, 0.3f);
        var (box, score) = Assert.Single(found);
        // cx = (0.5 + 1)·16 = 24, cy = (0.5 + 0)·16 = 8, w = 2·16 = 32, h = 1·16 = 16.
        Assert.Equal(new Box(8, 0, 40, 16), box);
        Assert.Equal(0.4f, score, 5);
    }

    [Fact]
    public void YoloxDecode_OtherClassConfident_PersonScoreDecides()
    {
        const int cols = 7;
        var output = new float[21 * cols];
        Set(output, 20, cols, 0, 0, 0, 0, 0.9f, 0.1f, 0.95f); // a confident non-person: 0.9·0.1 = 0.09
        Set(output, 3, cols, 0, 0, 0, 0, 0.7f, 0.6f, 0.2f);   // a person at stride 8, gx 3: 0.42
        var found = YoloxDecoder.Decode(output, 32, cols, 0, 0.3f);
        var (box, _) = Assert.Single(found);
        Assert.Equal(new Box(3 * 8 - 4, -4, 3 * 8 + 4, 4), box);
    }

    [Fact]
    public void NanoDetDistance_UniformBins_IsMeanIndex()
    {
        Assert.Equal(3.5f, NanoDetDecoder.Distance(new float[8]), 5);
    }

    [Fact]
    public void NanoDetDistance_PeakedBin_IsThatIndex()
    {
        var logits = new float[8];
        logits[2] = 50;
        Assert.Equal(2f, NanoDetDecoder.Distance(logits), 4);
        // Two equal peaks at 1 and 3 → 2.
        logits = new float[8];
        logits[1] = logits[3] = 50;
        Assert.Equal(2f, NanoDetDecoder.Distance(logits), 4);
    }

    [Fact]
    public void NanoDetDecodeLevel_PersonCell_DecodesDistancesFromPointCentre()
    {
        // 16×16 input, stride 8 → 2×2 cells, 2 classes, 32 box values per cell.
        var cls = new float[4 * 2];
        var reg = new float[4 * 32];
        cls[3 * 2] = 0.9f; cls[3 * 2 + 1] = 0.2f; // cell 3 = row 1, col 1: person 0.9
        cls[1 * 2] = 0.5f; cls[1 * 2 + 1] = 0.8f; // cell 1: argmax is class 1 → not a person
        reg[3 * 32 + 0 * 8 + 1] = 50;              // l peaks at bin 1 → 8 px
        //                                            t uniform → 3.5 bins → 28 px
        reg[3 * 32 + 2 * 8 + 0] = 50;              // r peaks at bin 0 → 0 px
        reg[3 * 32 + 3 * 8 + 4] = 50;              // b peaks at bin 4 → 32 px
        var result = new List<(Box Box, float Score)>();
        NanoDetDecoder.DecodeLevel(cls, reg, 2, 16, 8, 0, 0.35f, result);
        var (box, score) = Assert.Single(result);
        // Centre = (1·8 + 0.5·7, 1·8 + 0.5·7) = (11.5, 11.5).
        Assert.Equal(11.5f - 8, box.X1, 3);
        Assert.Equal(11.5f - 28, box.Y1, 3);
        Assert.Equal(11.5f, box.X2, 3);
        Assert.Equal(11.5f + 32, box.Y2, 3);
        Assert.Equal(0.9f, score);
    }

    [Fact]
    public void BoxSuppression_OverlapAboveLimit_KeepsTheBetterBox()
    {
        var candidates = new List<(Box, float)>
        {
            (new Box(0, 0, 10, 10), 0.5f),
            (new Box(1, 0, 11, 10), 0.9f),  // IoU with the first = 90/110 = 0.82
            (new Box(20, 20, 30, 30), 0.4f),
        };
        Assert.Equal([1, 2], BoxSuppression.Run(candidates, 0.45f));
        Assert.Equal([1, 0, 2], BoxSuppression.Run(candidates, 0.9f));
    }

    [Fact]
    public void Write_BoxOutsideImage_IsClampedAndRelative()
    {
        var o = BodyDetectorService.Write(3, new DetectedBody(new Box(-10, 5, 110, 50), 0.75f), 100, 200);
        Assert.Equal(3, (int)o["id"]!);
        Assert.Equal("body", (string)o["class"]!);
        Assert.Equal(0.75, (double)o["confidence"]!, 5);
        var bbox = o["bbox"]!.AsArray().Select(v => (double)v!).ToArray();
        Assert.Equal([0, 0.025, 1, 0.25], bbox.Select(v => Math.Round(v, 6)));
    }

    private static void Set(float[] output, int row, int cols, params float[] values) =>
        values.CopyTo(output.AsSpan(row * cols, cols));
}
