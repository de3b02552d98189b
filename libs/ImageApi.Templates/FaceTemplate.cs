using System.Buffers.Binary;

namespace ImageApi.Templates;

/// <summary>
/// A face template: the unit-length embedding and its self-describing byte blob (docs/templates.md), little-endian:
/// <code>
///  0  4  magic "IAFT" (ImageApi Face Template)
///  4  1  blob format version (1)
///  5  1  element type (TemplateElementType: 1 float32, 2 float16, 3 int8)
///  6  2  method id (TemplateMethod: 1 = MobileFaceNet on ArcFace-112, 2 = OMZ reid-0095 on its 128-px alignment)
///  8  2  method version (bumped whenever pre-processing or weights change the vectors)
/// 10  2  dimension (the method's: 128 or 256)
/// 12  …  vector: float32 ×d | float16 ×d | float32 scale + int8 ×d
///  …  4  CRC-32 of every byte before it
/// </code>
/// A blob of an unknown method or method version, another format version, a dimension that is not its method's — or
/// with a bad checksum — is refused. Templates of two known but different methods parse, and every comparison
/// (<see cref="RequireSameMethod"/>) refuses them, so templates that cannot be compared are never compared.
/// </summary>
public sealed class FaceTemplate
{
    public const uint Magic = 0x54464149; // "IAFT" read little-endian
    public const byte FormatVersion = 1;
    public const int HeaderSize = 12;
    public const int ChecksumSize = 4;

    /// <summary>Prefix of every v2 template key (the method follows it).</summary>
    public const string V2KeyPrefix = "_face_template_extractor_";

    private FaceTemplate(float[] vector, TemplateElementType elementType, TemplateMethod method)
    {
        Vector = vector;
        ElementType = elementType;
        Method = method;
    }

    /// <summary>The method that made the template (from its header).</summary>
    public TemplateMethod Method { get; }

    /// <summary>The embedding as stored (dequantised), re-normalised to unit length.</summary>
    public float[] Vector { get; }

    public TemplateElementType ElementType { get; }

    public int Dimension => Vector.Length;

    /// <summary>Blob length of a template of <paramref name="method"/> stored as <paramref name="type"/>.</summary>
    public static int BlobSize(TemplateElementType type, TemplateMethod method)
    {
        ArgumentNullException.ThrowIfNull(method);
        return BlobSize(type, method.Dimension);
    }

    private static int BlobSize(TemplateElementType type, int dimension) => HeaderSize + ChecksumSize + type switch
    {
        TemplateElementType.Float32 => 4 * dimension,
        TemplateElementType.Float16 => 2 * dimension,
        TemplateElementType.Int8 => 4 + dimension,
        _ => throw new ArgumentOutOfRangeException(nameof(type)),
    };

    /// <summary>Serialises a unit vector of <paramref name="method"/> (its extractor's output) as a blob of the given element type.</summary>
    public static byte[] Serialize(ReadOnlySpan<float> unitVector, TemplateElementType type, TemplateMethod method)
    {
        ArgumentNullException.ThrowIfNull(method);
        var dimension = method.Dimension;
        if (unitVector.Length != dimension) throw new ArgumentException($"a {method.Name} template vector has {dimension} elements", nameof(unitVector));
        var blob = new byte[BlobSize(type, dimension)];
        var span = blob.AsSpan();
        BinaryPrimitives.WriteUInt32LittleEndian(span, Magic);
        span[4] = FormatVersion;
        span[5] = (byte)type;
        BinaryPrimitives.WriteUInt16LittleEndian(span[6..], method.Id);
        BinaryPrimitives.WriteUInt16LittleEndian(span[8..], method.Version);
        BinaryPrimitives.WriteUInt16LittleEndian(span[10..], (ushort)dimension);
        var payload = span[HeaderSize..^ChecksumSize];
        switch (type)
        {
            case TemplateElementType.Float32:
                for (var i = 0; i < dimension; i++) BinaryPrimitives.WriteSingleLittleEndian(payload[(4 * i)..], unitVector[i]);
                break;
            case TemplateElementType.Float16:
                for (var i = 0; i < dimension; i++) BinaryPrimitives.WriteHalfLittleEndian(payload[(2 * i)..], (Half)unitVector[i]);
                break;
            case TemplateElementType.Int8:
                // Symmetric per-template scale: the largest magnitude maps to ±127.
                var max = 0f;
                foreach (var x in unitVector) max = MathF.Max(max, MathF.Abs(x));
                var scale = max > 0 ? max / 127f : 1f;
                BinaryPrimitives.WriteSingleLittleEndian(payload, scale);
                for (var i = 0; i < dimension; i++)
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
        if (TemplateMethod.Find(method, version) is not { } known)
        {
            error = $"template of method {method} version {version} is not a method of this service (known: " +
                    string.Join(", ", TemplateMethod.All) + ")";
            return false;
        }

        var type = (TemplateElementType)blob[5];
        if (type is not (TemplateElementType.Float32 or TemplateElementType.Float16 or TemplateElementType.Int8))
        {
            error = $"unknown template element type {blob[5]}";
            return false;
        }

        var dim = BinaryPrimitives.ReadUInt16LittleEndian(blob[10..]);
        if (dim != known.Dimension || blob.Length != BlobSize(type, dim))
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
        var vector = new float[dim];
        switch (type)
        {
            case TemplateElementType.Float32:
                for (var i = 0; i < dim; i++) vector[i] = BinaryPrimitives.ReadSingleLittleEndian(payload[(4 * i)..]);
                break;
            case TemplateElementType.Float16:
                for (var i = 0; i < dim; i++) vector[i] = (float)BinaryPrimitives.ReadHalfLittleEndian(payload[(2 * i)..]);
                break;
            default:
                var scale = BinaryPrimitives.ReadSingleLittleEndian(payload);
                for (var i = 0; i < dim; i++) vector[i] = (sbyte)payload[4 + i] * scale;
                break;
        }

        var norm = UnitVector.Normalize(vector);
        if (!float.IsFinite(norm) || norm < 1e-6f)
        {
            error = "template vector is empty or not finite";
            return false;
        }

        template = new FaceTemplate(vector, type, known);
        error = "";
        return true;
    }

    /// <summary>Cosine similarity of two templates of the same method (dot product of unit vectors), in [−1, 1].</summary>
    /// <exception cref="InvalidOperationException">the templates are of different methods: callers check
    /// <see cref="Method"/> first and answer 422 (<see cref="MismatchMessage"/>); this is the guard behind them.</exception>
    public float CosineTo(FaceTemplate other)
    {
        ArgumentNullException.ThrowIfNull(other);
        // A cosine between vectors of two unrelated models means nothing (and their lengths may differ).
        if (other.Method != Method) throw new InvalidOperationException(MismatchMessage(Method, other.Method));
        return Math.Clamp(UnitVector.Dot(Vector, other.Vector), -1f, 1f);
    }

    /// <summary>The client-facing reason two templates are not compared, naming both methods.</summary>
    public static string MismatchMessage(TemplateMethod a, TemplateMethod b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        return $"templates of different methods cannot be compared: {a} and {b}; extract both with the same method";
    }
}
