namespace ImageApi.Calibration;

/// <summary>
/// Append-only file of <see cref="EnrolledImage"/> records so that the model runs once per image: an interrupted
/// run resumes where it stopped, and the ROC can be rebuilt without re-embedding.
/// Record: file (BinaryWriter string), status byte, 3 × 128 float32.
/// </summary>
internal sealed class EmbeddingCache(string path)
{
    private const int Dim = 128;

    public string Path { get; } = path;

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

    private static float[] ReadVector(BinaryReader reader)
    {
        var v = new float[Dim];
        for (var i = 0; i < Dim; i++) v[i] = reader.ReadSingle();
        return v;
    }

    private static void WriteVector(BinaryWriter writer, float[] v)
    {
        var data = v.Length == Dim ? v : new float[Dim];
        foreach (var x in data) writer.Write(x);
    }
}
