using System.Buffers.Binary;

namespace ImageApi.Templates.Tests;

public sealed class FaceTemplateTests
{
    private static float[] UnitVector128(int seed) => UnitVectorOf(TemplateMethod.MobileFaceNet, seed);

    private static float[] UnitVectorOf(TemplateMethod method, int seed)
    {
        var rng = new Random(seed);
        var v = new float[method.Dimension];
        for (var i = 0; i < v.Length; i++) v[i] = (float)(rng.NextDouble() * 2 - 1);
        Templates.UnitVector.Normalize(v);
        return v;
    }

    [Theory]
    [InlineData("mobilefacenet_1", TemplateElementType.Float32, 528)]
    [InlineData("mobilefacenet_1", TemplateElementType.Float16, 272)]
    [InlineData("mobilefacenet_1", TemplateElementType.Int8, 148)]
    [InlineData("omz_reid_0095_1", TemplateElementType.Float32, 1040)]
    [InlineData("omz_reid_0095_1", TemplateElementType.Float16, 528)]
    [InlineData("omz_reid_0095_1", TemplateElementType.Int8, 276)]
    public void Serialize_EachMethodAndElementType_HasDocumentedSizeAndRoundTrips(string name, TemplateElementType type, int size)
    {
        var method = TemplateMethod.Named(name)!;
        var v = UnitVectorOf(method, 1);
        var blob = FaceTemplate.Serialize(v, type, method);
        Assert.Equal(size, blob.Length);
        Assert.Equal(size, FaceTemplate.BlobSize(type, method));
        Assert.True(FaceTemplate.TryParse(blob, out var t, out var error), error);
        Assert.Equal(type, t!.ElementType);
        Assert.Equal(method, t.Method);
        var cos = Templates.UnitVector.Dot(v, t.Vector);
        Assert.True(cos > (type == TemplateElementType.Int8 ? 0.9995f : 0.99999f), $"cos {cos}");
    }

    [Fact]
    public void Serialize_Float32_KeepsVectorExactly()
    {
        var v = UnitVector128(2);
        Assert.True(FaceTemplate.TryParse(FaceTemplate.Serialize(v, TemplateElementType.Float32, TemplateMethod.MobileFaceNet), out var t, out _));
        for (var i = 0; i < v.Length; i++) Assert.Equal(v[i], t!.Vector[i], 6);
    }

    [Theory]
    [InlineData("mobilefacenet_1", 1, 1, 128)]
    [InlineData("omz_reid_0095_1", 2, 1, 256)]
    public void Serialize_Header_IsSelfDescribing(string name, int id, int version, int dimension)
    {
        var method = TemplateMethod.Named(name)!;
        var blob = FaceTemplate.Serialize(UnitVectorOf(method, 3), TemplateElementType.Int8, method);
        Assert.Equal("IAFT"u8.ToArray(), blob[..4]);
        Assert.Equal(FaceTemplate.FormatVersion, blob[4]);
        Assert.Equal((byte)TemplateElementType.Int8, blob[5]);
        Assert.Equal(id, BinaryPrimitives.ReadUInt16LittleEndian(blob.AsSpan(6)));
        Assert.Equal(version, BinaryPrimitives.ReadUInt16LittleEndian(blob.AsSpan(8)));
        Assert.Equal(dimension, BinaryPrimitives.ReadUInt16LittleEndian(blob.AsSpan(10)));
    }

    [Fact]
    public void TryParse_MethodWithAnotherMethodsDimension_IsRefused()
    {
        // A header that claims method 2 (256-d) over a 128-d MobileFaceNet payload.
        var blob = Forged(b => BinaryPrimitives.WriteUInt16LittleEndian(b.AsSpan(6), TemplateMethod.OmzReid0095.Id));
        Assert.False(FaceTemplate.TryParse(blob, out _, out var error));
        Assert.Contains("dimension 128", error);
    }

    [Fact]
    public void CosineTo_DifferentMethods_IsNeverComputed()
    {
        Assert.True(FaceTemplate.TryParse(FaceTemplate.Serialize(UnitVector128(9), TemplateElementType.Float32, TemplateMethod.MobileFaceNet), out var a, out _));
        Assert.True(FaceTemplate.TryParse(FaceTemplate.Serialize(UnitVectorOf(TemplateMethod.OmzReid0095, 9), TemplateElementType.Float32, TemplateMethod.OmzReid0095), out var b, out _));
        var e = Assert.Throws<InvalidOperationException>(() => a!.CosineTo(b!));
        Assert.Contains("mobilefacenet_1", e.Message);
        Assert.Contains("omz_reid_0095_1", e.Message);
    }

    [Fact]
    public void Serialize_SameVector_SameBytes()
    {
        var v = UnitVector128(4);
        Assert.Equal(FaceTemplate.Serialize(v, TemplateElementType.Int8, TemplateMethod.MobileFaceNet), FaceTemplate.Serialize(v, TemplateElementType.Int8, TemplateMethod.MobileFaceNet));
    }

    /// <summary>Rewrites a header byte and re-seals the checksum, as a template of another method/version would be.</summary>
    private static byte[] Forged(Action<byte[]> edit)
    {
        var blob = FaceTemplate.Serialize(UnitVector128(5), TemplateElementType.Float16, TemplateMethod.MobileFaceNet);
        edit(blob);
        BinaryPrimitives.WriteUInt32LittleEndian(blob.AsSpan(blob.Length - 4), Crc32.Compute(blob.AsSpan(0, blob.Length - 4)));
        return blob;
    }

    [Fact]
    public void TryParse_OtherMethod_IsRefused()
    {
        var blob = Forged(b => BinaryPrimitives.WriteUInt16LittleEndian(b.AsSpan(6), 1000));
        Assert.False(FaceTemplate.TryParse(blob, out _, out var error));
        Assert.Contains("method 1000", error);
    }

    [Fact]
    public void TryParse_OtherMethodVersion_IsRefused()
    {
        var blob = Forged(b => BinaryPrimitives.WriteUInt16LittleEndian(b.AsSpan(8), 12));
        Assert.False(FaceTemplate.TryParse(blob, out _, out var error));
        Assert.Contains("version 12", error);
    }

    [Fact]
    public void TryParse_OtherFormatVersion_IsRefused()
    {
        Assert.False(FaceTemplate.TryParse(Forged(b => b[4] = 2), out _, out var error));
        Assert.Contains("format version 2", error);
    }

    [Fact]
    public void TryParse_UnknownElementType_IsRefused()
    {
        Assert.False(FaceTemplate.TryParse(Forged(b => b[5] = 9), out _, out var error));
        Assert.Contains("element type", error);
    }

    [Fact]
    public void TryParse_FlippedPayloadBit_FailsChecksum()
    {
        var blob = FaceTemplate.Serialize(UnitVector128(6), TemplateElementType.Int8, TemplateMethod.MobileFaceNet);
        blob[40] ^= 0x10;
        Assert.False(FaceTemplate.TryParse(blob, out _, out var error));
        Assert.Contains("checksum", error);
    }

    [Fact]
    public void TryParse_Truncated_IsRefused()
    {
        var blob = FaceTemplate.Serialize(UnitVector128(7), TemplateElementType.Float32, TemplateMethod.MobileFaceNet);
        Assert.False(FaceTemplate.TryParse(blob.AsSpan(0, blob.Length - 1), out _, out var error));
        Assert.Contains("size", error);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(3)]
    [InlineData(74)]
    [InlineData(296)]
    public void TryParse_ForeignBytes_AreRefused(int length)
    {
        var bytes = new byte[length];
        new Random(length).NextBytes(bytes);
        Assert.False(FaceTemplate.TryParse(bytes, out _, out var error));
        Assert.Contains("unknown format", error);
    }

    [Fact]
    public void TryParse_ZeroVector_IsRefused()
    {
        var blob = Forged(b => Array.Clear(b, FaceTemplate.HeaderSize, 2 * TemplateMethod.MobileFaceNet.Dimension));
        Assert.False(FaceTemplate.TryParse(blob, out _, out var error));
        Assert.Contains("empty", error);
    }

    [Fact]
    public void Crc32_KnownVector_MatchesZlib()
    {
        // zlib.crc32(b"123456789") == 0xCBF43926 (the CRC-32 check value).
        Assert.Equal(0xCBF43926u, Crc32.Compute("123456789"u8));
    }

    [Fact]
    public void CosineTo_SameAndOpposite_AreOneAndMinusOne()
    {
        var v = UnitVector128(8);
        var neg = v.Select(x => -x).ToArray();
        Assert.True(FaceTemplate.TryParse(FaceTemplate.Serialize(v, TemplateElementType.Float32, TemplateMethod.MobileFaceNet), out var a, out _));
        Assert.True(FaceTemplate.TryParse(FaceTemplate.Serialize(neg, TemplateElementType.Float32, TemplateMethod.MobileFaceNet), out var b, out _));
        Assert.Equal(1f, a!.CosineTo(a), 5);
        Assert.Equal(-1f, a.CosineTo(b!), 5);
    }
}
