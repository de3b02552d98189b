namespace ImageApi.Calibration;

/// <summary>
/// Append-only file of <see cref="EnrolledImage"/> records so that the model runs once per image: an interrupted
/// run resumes where it stopped, and the ROC can be rebuilt without re-embedding.
/// Record: file (BinaryWriter string), status byte, 3 × d float32 (d = the method's dimension). One file per method.
/// </summary>
internal sealed class EmbeddingCache(string path, int dimension)
{
    private readonly int _dim = dimension;

    public string Path { get; } = path;

    /// <summary>The cache file of <paramref name="method"/>: MobileFaceNet keeps the original name (caches made
    /// before there were two methods stay valid), others add their method name.</summary>
    public static EmbeddingCache For(string basePath, Templates.TemplateMethod method) =>
        new(method == Templates.TemplateMethod.MobileFaceNet
            ? basePath
            : System.IO.Path.ChangeExtension(basePath, null) + "-" + method.Name + System.IO.Path.GetExtension(basePath), method.Dimension);

    public Dictionary<string, EnrolledImage> Load()
    {
        var result = new Dictionary<string, EnrolledImage>(StringComparer.Ordinal);
        if (!File.Exists(Path)) return result;
        using var reader = new BinaryReader(File.OpenRead(Path));
        while (true)
        {
            try
            {
                var file = reader.ReadString();
                var status = (EnrolStatus)reader.ReadByte();
                var fit = ReadVector(reader);
                var det = ReadVector(reader);
                var mirror = ReadVector(reader);
                result[file] = new EnrolledImage(file, status, fit, det, mirror);
            }
            catch (EndOfStreamException)
            {
                break; // a record cut by an interrupted run is simply redone
            }
        }

        return result;
    }

    public void Append(EnrolledImage e)
    {
        using var stream = new FileStream(Path, FileMode.Append, FileAccess.Write);
        using var writer = new BinaryWriter(stream);
        writer.Write(e.File);
        writer.Write((byte)e.Status);
        WriteVector(writer, e.Fit);
        WriteVector(writer, e.Detector);
        WriteVector(writer, e.FitMirror);
    }

    private float[] ReadVector(BinaryReader reader)
    {
        var v = new float[_dim];
        for (var i = 0; i < _dim; i++) v[i] = reader.ReadSingle();
        return v;
    }

    private void WriteVector(BinaryWriter writer, float[] v)
    {
        var data = v.Length == _dim ? v : new float[_dim];
        foreach (var x in data) writer.Write(x);
    }
}
