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

    public static readonly string[] AgeBands = ["0-12", "13-19", "20-35", "36-55", "56+"];
}
