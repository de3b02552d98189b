namespace ImageApi.Attributes.Tests;

public sealed class AttributeWriterTests
{
    [Fact]
    public void Set_NewAttribute_GoesBeforeBbox()
    {
        var face = new JsonObject { ["id"] = 0, ["class"] = "face", ["bbox"] = new JsonArray(0, 0, 1, 1), ["x"] = 1 };
        AttributeWriter.Set(face, "age", "25");
        Assert.Equal(["id", "class", "age", "bbox", "x"], face.Select(kv => kv.Key));
    }

    [Fact]
    public void Set_ExistingAttribute_ReplacedInPlace()
    {
        var face = new JsonObject { ["id"] = 0, ["gender"] = "MALE", ["class"] = "face", ["bbox"] = new JsonArray(0, 0, 1, 1) };
        AttributeWriter.Set(face, "gender", "FEMALE");
        Assert.Equal(["id", "gender", "class", "bbox"], face.Select(kv => kv.Key));
        Assert.Equal("FEMALE", face["gender"]!.GetValue<string>());
    }
}
