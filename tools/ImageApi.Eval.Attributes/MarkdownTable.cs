using System.Text;

namespace ImageApi.Eval.Attributes;

/// <summary>A GitHub-flavoured Markdown table.</summary>
internal sealed class MarkdownTable(params string[] header)
{
    private readonly List<string[]> _rows = [];

    public MarkdownTable Row(params object[] cells)
    {
        _rows.Add([.. cells.Select(Format)]);
        return this;
    }

    public override string ToString()
    {
        var sb = new StringBuilder();
        sb.Append("| ").AppendJoin(" | ", header).AppendLine(" |");
        sb.Append('|').AppendJoin("", header.Select(_ => " --- |")).AppendLine();
        foreach (var r in _rows) sb.Append("| ").AppendJoin(" | ", r).AppendLine(" |");
        return sb.ToString();
    }

    private static string Format(object cell) => cell switch
    {
        double d when double.IsNaN(d) => "–",
        double d => d.ToString("0.00", CultureInfo.InvariantCulture),
        float f => ((double)f).ToString("0.00", CultureInfo.InvariantCulture),
        _ => Convert.ToString(cell, CultureInfo.InvariantCulture) ?? "",
    };

    public static string Percent(double fraction) => double.IsNaN(fraction) ? "–" : (100 * fraction).ToString("0.0", CultureInfo.InvariantCulture) + " %";
}
