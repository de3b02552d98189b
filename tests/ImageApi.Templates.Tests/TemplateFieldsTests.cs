namespace ImageApi.Templates.Tests;

public sealed class TemplateFieldsTests
{
    private static readonly string Key = TemplateMethod.MobileFaceNet.V2Key;

    private static byte[] Blob(int seed = 1) => BlobOf(TemplateMethod.MobileFaceNet, seed);

    private static byte[] BlobOf(TemplateMethod method, int seed)
    {
        var rng = new Random(seed);
        var v = new float[method.Dimension];
        for (var i = 0; i < v.Length; i++) v[i] = (float)rng.NextDouble() - 0.5f;
        UnitVector.Normalize(v);
        return FaceTemplate.Serialize(v, TemplateElementType.Int8, method);
    }

    [Fact]
    public void Read_V2KeyOfOneMethodOverABlobOfAnother_Is422NamingBoth()
    {
        var o = new JsonObject();
        TemplateFields.Write(o, BlobOf(TemplateMethod.OmzReid0095, 2), ApiVersion.V2, TemplateMethod.MobileFaceNet.V2Key);
        var e = Assert.Throws<ApiException>(() => TemplateFields.Read(o, ApiVersion.V2, 0));
        Assert.Equal(422, e.StatusCode);
        var msg = e.Issues![0].Msg;
        Assert.Contains("mobilefacenet_1", msg);
        Assert.Contains("omz_reid_0095_1", msg);
    }

    [Theory]
    [InlineData(ApiVersion.V1)]
    [InlineData(ApiVersion.V2)]
    public void Read_EachMethod_UnderItsOwnKey_KeepsItsMethod(ApiVersion version)
    {
        foreach (var method in TemplateMethod.All)
        {
            var o = new JsonObject();
            TemplateFields.Write(o, BlobOf(method, 3), version, method.V2Key);
            var t = TemplateFields.Read(o, version, 0);
            Assert.Equal(method, t.Method);
            Assert.Equal(method.Dimension, t.Vector.Length);
        }
    }

    [Fact]
    public void Write_V1_Base64AndSize()
    {
        var o = new JsonObject();
        var blob = Blob();
        TemplateFields.Write(o, blob, ApiVersion.V1, Key);
        Assert.Equal(Convert.ToBase64String(blob), o["$template"]!.GetValue<string>());
        Assert.Equal(blob.Length, o["template_size"]!.GetValue<int>());
    }

    [Fact]
    public void Write_V2_NdArrayUint8WithShape()
    {
        var o = new JsonObject();
        var blob = Blob();
        TemplateFields.Write(o, blob, ApiVersion.V2, Key);
        var entry = o["template"]![Key]!;
        Assert.Equal("NDARRAY", entry["format"]!.GetValue<string>());
        Assert.Equal("uint8", entry["dtype"]!.GetValue<string>());
        Assert.Equal(blob.Length, entry["shape"]![0]!.GetValue<int>());
        Assert.Equal(blob, Convert.FromBase64String(entry["blob"]!.GetValue<string>()));
    }

    [Theory]
    [InlineData(ApiVersion.V1)]
    [InlineData(ApiVersion.V2)]
    public void Read_WhatWasWritten_SameVector(ApiVersion version)
    {
        var o = new JsonObject();
        var blob = Blob();
        TemplateFields.Write(o, blob, version, Key);
        Assert.True(FaceTemplate.TryParse(blob, out var expected, out _));
        Assert.Equal(expected!.Vector, TemplateFields.Read(o, version, 0).Vector);
    }

    [Fact]
    public void Read_V1NotBase64_Is400FailedToDecode()
    {
        var o = new JsonObject { ["$template"] = "not base64 !!!" };
        var e = Assert.Throws<ApiException>(() => TemplateFields.Read(o, ApiVersion.V1, 0));
        Assert.Equal(400, e.StatusCode);
        Assert.Equal("Failed to decode base64 string", e.Detail);
    }

    [Fact]
    public void Read_V1WrongTemplateSize_Is422AtTemplateSize()
    {
        var o = new JsonObject();
        TemplateFields.Write(o, Blob(), ApiVersion.V1, Key);
        o["template_size"] = 74;
        var e = Assert.Throws<ApiException>(() => TemplateFields.Read(o, ApiVersion.V1, 3));
        Assert.Equal(422, e.StatusCode);
        Assert.Equal(new object[] { "body", "objects", 3, "template_size" }, e.Issues![0].Loc.ToArray());
    }

    [Fact]
    public void Read_V2UnknownMethod_Is422NamingIt()
    {
        var o = new JsonObject();
        TemplateFields.Write(o, Blob(), ApiVersion.V2, Key);
        var entry = o["template"]![Key]!.DeepClone();
        o["template"] = new JsonObject { ["_face_template_extractor_1000_12"] = entry };
        var e = Assert.Throws<ApiException>(() => TemplateFields.Read(o, ApiVersion.V2, 0));
        Assert.Equal(422, e.StatusCode);
        Assert.Contains("1000_12", e.Issues![0].Msg);
    }

    [Fact]
    public void Read_V2WrongShape_Is422()
    {
        var o = new JsonObject();
        TemplateFields.Write(o, Blob(), ApiVersion.V2, Key);
        o["template"]![Key]!["shape"] = new JsonArray(296);
        var e = Assert.Throws<ApiException>(() => TemplateFields.Read(o, ApiVersion.V2, 0));
        Assert.Equal(422, e.StatusCode);
        Assert.Contains("shape", e.Issues![0].Loc.Select(l => l.ToString()));
    }

    [Fact]
    public void Read_V2WrongDtype_Is422()
    {
        var o = new JsonObject();
        TemplateFields.Write(o, Blob(), ApiVersion.V2, Key);
        o["template"]![Key]!["dtype"] = "float32";
        Assert.Equal(422, Assert.Throws<ApiException>(() => TemplateFields.Read(o, ApiVersion.V2, 0)).StatusCode);
    }

    [Fact]
    public void Read_VendorSizedRandomBytes_Is422NotATemplate()
    {
        var bytes = new byte[74];
        new Random(74).NextBytes(bytes);
        var o = new JsonObject { ["$template"] = Convert.ToBase64String(bytes), ["template_size"] = 74 };
        var e = Assert.Throws<ApiException>(() => TemplateFields.Read(o, ApiVersion.V1, 1));
        Assert.Equal(422, e.StatusCode);
        Assert.Equal(new object[] { "body", "objects", 1, "$template" }, e.Issues![0].Loc.ToArray());
    }

    [Fact]
    public void Read_V1TemplateNotString_Is422()
    {
        var o = new JsonObject { ["$template"] = 5 };
        Assert.Equal(422, Assert.Throws<ApiException>(() => TemplateFields.Read(o, ApiVersion.V1, 0)).StatusCode);
    }
}
