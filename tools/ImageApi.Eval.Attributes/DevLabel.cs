namespace ImageApi.Eval.Attributes;

/// <summary>One row of <c>attributes-dev/labels.csv</c> (the columns this tool uses).</summary>
internal sealed record DevLabel(string File, string Task, string Gender, int Age, string Race, string Emotion, string Mask)
{
    /// <summary>The dev set's balancing bands (attributes-dev/MANIFEST.md).</summary>
    public string AgeBand => Age switch
    {
        <= 12 => "0-12",
        <= 19 => "13-19",
        <= 35 => "20-35",
        <= 55 => "36-55",
        _ => "56+",
    };

    public static IReadOnlyList<DevLabel> Read(string path)
    {
        var rows = new List<DevLabel>();
        foreach (var line in System.IO.File.ReadLines(path).Skip(1))
        {
            if (line.Length == 0) continue;
            // The first seven columns never hold commas or quotes; later ones (licence) may.
            var c = line.Split(',', 8);
            rows.Add(new DevLabel(c[0], c[1], c[2], int.TryParse(c[3], out var age) ? age : -1, c[4], c[5], c[6]));
        }

        return rows;
    }

    /// <summary>The gender/age-labelled photos of <c>shared/testdata/labels.csv</c> (quoted CSV; columns by name).</summary>
    public static IReadOnlyList<DevLabel> ReadTestData(string path, string column)
    {
        var lines = System.IO.File.ReadAllLines(path);
        var header = CsvLine.Split(lines[0]);
        int file = header.IndexOf("file"), gender = header.IndexOf("gender"), age = header.IndexOf("age"), race = header.IndexOf("race"),
            emotion = header.IndexOf("emotion"), wanted = header.IndexOf(column);
        var rows = new List<DevLabel>();
        foreach (var line in lines.Skip(1))
        {
            var c = CsvLine.Split(line);
            if (c.Count <= Math.Max(wanted, emotion) || c[wanted].Length == 0) continue;
            rows.Add(new DevLabel(c[file], "photo", c[gender], int.TryParse(c[age], out var a) ? a : -1, c[race], c[emotion], ""));
        }

        return rows;
    }

    /// <summary>testdata/labels.csv's <c>num_faces</c> per file (files with a count only).</summary>
    public static Dictionary<string, int> ReadTestDataFaceCounts(string path)
    {
        var lines = System.IO.File.ReadAllLines(path);
        var header = CsvLine.Split(lines[0]);
        int file = header.IndexOf("file"), faces = header.IndexOf("num_faces");
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var line in lines.Skip(1))
        {
            var c = CsvLine.Split(line);
            if (c.Count > faces && int.TryParse(c[faces], out var n)) counts[c[file]] = n;
        }

        return counts;
    }

    public static readonly string[] AgeBands = ["0-12", "13-19", "20-35", "36-55", "56+"];
}
