using System.Buffers.Binary;

namespace ImageApi.Templates;

/// <summary>
/// A face template: the unit-length embedding and its self-describing byte blob (docs/templates.md), little-endian:
/// <code>
///  0  4  magic "IAFT" (ImageApi Face Template)
///  4  1  blob format version (1)
///  5  1  element type (TemplateElementType: 1 float32, 2 float16, 3 int8)
///  6  2  method id (1 = MobileFaceNet-foamliu on ArcFace-112 alignment)
///  8  2  method version (bumped whenever pre-processing or weights change the vectors)
/// 10  2  dimension (128)
/// 12  …  vector: float32 ×d | float16 ×d | float32 scale + int8 ×d
///  …  4  CRC-32 of every byte before it
/// </code>
/// A blob of another method, method version, format version or dimension — or with a bad checksum — is refused, so
/// templates that cannot be compared are never compared.
/// </summary>
public sealed class FaceTemplate
{
    public const uint Magic = 0x54464149; // "IAFT" read little-endian
    public const byte FormatVersion = 1;
    public const ushort MobileFaceNetMethod = 1;
    public const ushort MethodVersion = 1;
    public const int Dimension = 128;
    public const int HeaderSize = 12;
    public const int ChecksumSize = 4;

    /// <summary>The method as named in the v2 key <c>_face_template_extractor_&lt;method&gt;</c>.</summary>
    public const string MethodName = "mobilefacenet_1";

    /// <summary>The v2 template key for this method.</summary>
    public const string V2Key = "_face_template_extractor_" + MethodName;

    /// <summary>Prefix of every v2 template key (the method follows it).</summary>
    public const string V2KeyPrefix = "_face_template_extractor_";

    private FaceTemplate(float[] vector, TemplateElementType elementType)
    {
        Vector = vector;
        ElementType = elementType;
    }

    /// <summary>The embedding as stored (dequantised), re-normalised to unit length.</summary>
    public float[] Vector { get; }

    public TemplateElementType ElementType { get; }

    /// <summary>Blob length for a given element type.</summary>
    public static int BlobSize(TemplateElementType type) => HeaderSize + ChecksumSize + type switch
    {
        TemplateElementType.Float32 => 4 * Dimension,
        TemplateElementType.Float16 => 2 * Dimension,
        TemplateElementType.Int8 => 4 + Dimension,
        _ => throw new ArgumentOutOfRangeException(nameof(type)),
    };

    /// <summary>Serialises a unit vector (the extractor's output) as a blob of the given element type.</summary>
    public static byte[] Serialize(ReadOnlySpan<float> unitVector, TemplateElementType type)
    {
        if (unitVector.Length != Dimension) throw new ArgumentException($"a template vector has {Dimension} elements", nameof(unitVector));
        var blob = new byte[BlobSize(type)];
        var span = blob.AsSpan();
        BinaryPrimitives.WriteUInt32LittleEndian(span, Magic);
        span[4] = FormatVersion;
        span[5] = (byte)type;
        BinaryPrimitives.WriteUInt16LittleEndian(span[6..], MobileFaceNetMethod);
        BinaryPrimitives.WriteUInt16LittleEndian(span[8..], MethodVersion);
        BinaryPrimitives.WriteUInt16LittleEndian(span[10..], Dimension);
        var payload = span[HeaderSize..^ChecksumSize];
        switch (type)
        {
            case TemplateElementType.Float32:
                for (var i = 0; i < Dimension; i++) BinaryPrimitives.WriteSingleLittleEndian(payload[(4 * i)..], unitVector[i]);
                break;
            case TemplateElementType.Float16:
                for (var i = 0; i < Dimension; i++) BinaryPrimitives.WriteHalfLittleEndian(payload[(2 * i)..], (Half)unitVector[i]);
                break;
            case TemplateElementType.Int8:
                // Symmetric per-template scale: the largest magnitude maps to ±127.
                var max = 0f;
                foreach (var x in unitVector) max = MathF.Max(max, MathF.Abs(x));
                var scale = max > 0 ? max / 127f : 1f;
                BinaryPrimitives.WriteSingleLittleEndian(payload, scale);
                for (var i = 0; i < Dimension; i++)
                {
                    payload[4 + i] = (byte)(sbyte)Math.Clamp((int)MathF.Round(unitVector[i] / scale), -127, 127);
                }

                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(type));
        }

        BinaryPrimitives.WriteUInt32LittleEndian(span[^ChecksumSize..], Crc32.Compute(span[..^ChecksumSize]));
        return blob;
    }

    /// <summary>Parses a blob; on failure <paramref name="error"/> says why (for the client's error message).</summary>
    public static bool TryParse(ReadOnlySpan<byte> blob, out FaceTemplate? template, out string error)
    {
        template = null;
        if (blob.Length < HeaderSize + ChecksumSize || BinaryPrimitives.ReadUInt32LittleEndian(blob) != Magic)
        {
            error = "not a face template of this service (unknown format)";
            return false;
        }

        if (blob[4] != FormatVersion)
        {
            error = $"template format version {blob[4]} is not supported (expected {FormatVersion})";
            return false;
        }

        var method = BinaryPrimitives.ReadUInt16LittleEndian(blob[6..]);
        var version = BinaryPrimitives.ReadUInt16LittleEndian(blob[8..]);
        if (method != MobileFaceNetMethod || version != MethodVersion)
        {
            error = $"template of method {method} version {version} cannot be compared with method {MobileFaceNetMethod} version {MethodVersion} ({MethodName})";
            return false;
        }

        var type = (TemplateElementType)blob[5];
        if (type is not (TemplateElementType.Float32 or TemplateElementType.Float16 or TemplateElementType.Int8))
        {
            error = $"unknown template element type {blob[5]}";
            return false;
        }

        var dim = BinaryPrimitives.ReadUInt16LittleEndian(blob[10..]);
        if (dim != Dimension || blob.Length != BlobSize(type))
        {
            error = $"template size {blob.Length} bytes does not match its header (dimension {dim}, {type})";
            return false;
        }

        if (BinaryPrimitives.ReadUInt32LittleEndian(blob[^ChecksumSize..]) != Crc32.Compute(blob[..^ChecksumSize]))
        {
            error = "template checksum mismatch (damaged template)";
            return false;
        }

        var payload = blob[HeaderSize..^ChecksumSize];
        var vector = new float[Dimension];
        switch (type)
        {
            case TemplateElementType.Float32:
                for (var i = 0; i < Dimension; i++) vector[i] = BinaryPrimitives.ReadSingleLittleEndian(payload[(4 * i)..]);
                break;
            case TemplateElementType.Float16:
                for (var i = 0; i < Dimension; i++) vector[i] = (float)BinaryPrimitives.ReadHalfLittleEndian(payload[(2 * i)..]);
                break;
            default:
                var scale = BinaryPrimitives.ReadSingleLittleEndian(payload);
                for (var i = 0; i < Dimension; i++) vector[i] = (sbyte)payload[4 + i] * scale;
                break;
        }

        var norm = UnitVector.Normalize(vector);
        if (!float.IsFinite(norm) || norm < 1e-6f)
        {
            error = "template vector is empty or not finite";
            return false;
        }

        template = new FaceTemplate(vector, type);
        error = "";
        return true;
    }

    /// <summary>Cosine similarity of two templates (dot product of unit vectors), in [−1, 1].</summary>
    public float CosineTo(FaceTemplate other)
    {
        ArgumentNullException.ThrowIfNull(other);
        return Math.Clamp(UnitVector.Dot(Vector, other.Vector), -1f, 1f);
    }
}
