namespace ImageApi.Calibration;

/// <summary>One labelled image of shared/calibration (labels.csv): file relative to the set, identity, part.</summary>
internal sealed record CalibrationImage(string File, string Identity, string Part)
{
    /// <summary>Reads labels.csv (<c>file,identity,…,dataset</c>; quoted fields may hold commas).</summary>
    public static List<CalibrationImage> ReadLabels(string root)
    {
        var lines = System.IO.File.ReadAllLines(Path.Combine(root, "labels.csv"));
        var header = CsvLine.Split(lines[0]);
        int fi = header.IndexOf("file"), ii = header.IndexOf("identity"), di = header.IndexOf("dataset");
        var result = new List<CalibrationImage>();
        foreach (var line in lines.Skip(1))
        {
            if (line.Length == 0) continue;
            var cells = CsvLine.Split(line);
            result.Add(new CalibrationImage(cells[fi], cells[ii], cells[di]));
        }

        return result;
    }
}
