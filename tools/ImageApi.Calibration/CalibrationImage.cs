namespace ImageApi.Calibration;

/// <summary>One labelled image of shared/calibration (labels.csv): file relative to the set, identity, part.</summary>
internal sealed record CalibrationImage(string File, string Identity, string Part)
{
    /// <summary>Reads labels.csv (<c>file,identity,…,dataset</c>; quoted fields may hold commas).</summary>
    public static List<CalibrationImage> ReadLabels(string root)
    {
        var lines = System.IO.File.ReadAllLines(Path.Combine(root, "labels.csv"));
        var header = Split(lines[0]);
        int fi = header.IndexOf("file"), ii = header.IndexOf("identity"), di = header.IndexOf("dataset");
        var result = new List<CalibrationImage>();
        foreach (var line in lines.Skip(1))
        {
            if (line.Length == 0) continue;
            var cells = Split(line);
            result.Add(new CalibrationImage(cells[fi], cells[ii], cells[di]));
        }

        return result;
    }

    private static List<string> Split(string line)
    {
        var cells = new List<string>();
        var cell = new System.Text.StringBuilder();
        var quoted = false;
        for (var i = 0; i < line.Length; i++)
        {
            var c = line[i];
            if (quoted)
            {
                if (c == '"' && i + 1 < line.Length && line[i + 1] == '"') { cell.Append('"'); i++; }
                else if (c == '"') quoted = false;
                else cell.Append(c);
            }
            else if (c == '"') quoted = true;
            else if (c == ',') { cells.Add(cell.ToString()); cell.Clear(); }
            else cell.Append(c);
        }

        cells.Add(cell.ToString());
        return cells;
    }
}
