using System.Globalization;
using System.Text;

namespace ImageApi.Calibration;

/// <summary>
/// docs/results/templates-methods.md: the template methods side by side on the same pairs (same images, same fitter
/// points), on the whole set and on two disjoint halves of the identities — if one method wins on both halves, the
/// choice of default does not hang on which people happen to be in the set.
/// </summary>
internal static class MethodComparison
{
    private static readonly double[] Fars = [1e-2, 1e-3, 1e-4];
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    public static void Write(string path, IReadOnlyList<MethodResult> results)
    {
        var md = new StringBuilder();
        md.AppendLine("# Face template methods side by side (calibration set)");
        md.AppendLine();
        md.AppendLine("Written by `tools/ImageApi.Calibration roc`. Same images, same detector and fitter 5 points for every method (one `embed` pass");
        md.AppendLine("detects and fits once, then aligns and embeds per method); float32 templates; distance = 1 − cosine, accept when distance ≤ t.");
        md.AppendLine("Impostors: every pair of different identities within the same part (LFW × LFW, ORL × ORL).");
        md.AppendLine();
        md.AppendLine("## Whole set");
        md.AppendLine();
        md.AppendLine("| method | dim | template bytes (float32) | enrolled | genuine / impostor pairs | EER | TAR@FAR 1e-2 | TAR@FAR 1e-3 | TAR@FAR 1e-4 | distance @1e-2 / 1e-3 / 1e-4 | score @1e-2 / 1e-3 / 1e-4 |");
        md.AppendLine("|---|---|---|---|---|---|---|---|---|---|---|");
        foreach (var r in results)
        {
            var t = Fars.Select(f => r.Table.ThresholdFor(f)!).ToArray();
            md.AppendLine(string.Create(Inv,
                $"| `{r.Method.Name}` | {r.Method.Dimension} | {FaceTemplate.BlobSize(TemplateElementType.Float32, r.Method)} | {r.Enrolled} ({r.Failed} failed) | {r.All.Genuine:N0} / {r.All.Impostor:N0} | {RocBuilder.Pct(r.All.EqualErrorRate().Eer)} | {RocBuilder.Tar(r.All, 1e-2)} | {RocBuilder.Tar(r.All, 1e-3)} | {RocBuilder.Tar(r.All, 1e-4)} | {t[0].Distance:F4} / {t[1].Distance:F4} / {t[2].Distance:F4} | {t[0].Score:F4} / {t[1].Score:F4} / {t[2].Score:F4} |"));
        }

        md.AppendLine();
        md.AppendLine("## Two disjoint halves of the identities");
        md.AppendLine();
        md.AppendLine("Identities split by a stable hash (FNV-1a) of the name; pairs with both images in one half; each half's own thresholds.");
        md.AppendLine();
        md.AppendLine("| method | half | genuine / impostor pairs | EER | TAR@FAR 1e-2 | TAR@FAR 1e-3 | TAR@FAR 1e-4 |");
        md.AppendLine("|---|---|---|---|---|---|---|");
        foreach (var r in results)
        {
            for (var h = 0; h < r.Halves.Length; h++)
            {
                var x = r.Halves[h];
                md.AppendLine(string.Create(Inv,
                    $"| `{r.Method.Name}` | {(h == 0 ? "A" : "B")} | {x.Genuine:N0} / {x.Impostor:N0} | {RocBuilder.Pct(x.EqualErrorRate().Eer)} | {RocBuilder.Tar(x, 1e-2)} | {RocBuilder.Tar(x, 1e-3)} | {RocBuilder.Tar(x, 1e-4)} |"));
            }
        }

        md.AppendLine();
        md.AppendLine("## Per part");
        md.AppendLine();
        md.AppendLine("| method | part | EER | TAR@FAR 1e-3 |");
        md.AppendLine("|---|---|---|---|");
        foreach (var r in results)
        {
            foreach (var (part, h) in r.PerPart) md.AppendLine($"| `{r.Method.Name}` | {part} | {RocBuilder.Pct(h.EqualErrorRate().Eer)} | {RocBuilder.Tar(h, 1e-3)} |");
        }

        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, md.ToString());
        Console.Error.WriteLine($"wrote {path}");
    }
}
