using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace ImageApi.Samples;

/// <summary>
/// List settings bound as arrays, one key per entry (<c>Section__List__0=…</c>, <c>Section__List__1=…</c>). The
/// binder appends a configured list to the array the property starts with, so a default list would stay in every
/// configured one: an options class clears each configured list before binding (<see cref="IsConfigured"/>), and a
/// list whose key is absent keeps its default.
/// </summary>
public static class ListSetting
{
    /// <summary>
    /// True when <paramref name="section"/>:<paramref name="key"/> is configured: entries (<c>key:0</c>, …) or an
    /// empty value (<c>Section__List=</c>, an empty list). A non-empty single value is the former comma-separated
    /// form, which the binder would silently drop: it is refused with the keys to use instead.
    /// </summary>
    public static bool IsConfigured<TOptions>(IConfiguration section, string key)
    {
        var list = section.GetSection(key);
        if (!list.Exists()) return false;
        if (!string.IsNullOrWhiteSpace(list.Value) && !list.GetChildren().Any())
        {
            var first = list.Value.Split(',', StringSplitOptions.TrimEntries)[0];
            throw new OptionsValidationException(Options.DefaultName, typeof(TOptions),
                [$"{list.Path} is a list: set {list.Path.Replace(":", "__", StringComparison.Ordinal)}__0={first} (one key per entry), not a comma-separated value"]);
        }

        return true;
    }
}
