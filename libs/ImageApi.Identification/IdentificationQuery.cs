using System.Globalization;

namespace ImageApi.Identification;

/// <summary>
/// The parameters of a search: <c>gallery</c> (required), <c>k</c>, and a threshold as <c>threshold</c> (a score) or
/// <c>far</c> (a target FAR) — from the query string (<c>?gallery=…&amp;k=…</c>; on the pipeline route the
/// pipeline's query), else from the sample's top-level <c>identification</c> object, which travels with the sample
/// through every hop of the distributed mode.
/// </summary>
public sealed record IdentificationQuery(string Gallery, int K, MatchThreshold? Threshold)
{
    public const string BodyField = "identification";

    public static IdentificationQuery From(IQueryCollection? query, JsonObject root, IdentificationOptions options)
    {
        var body = root[BodyField] as JsonObject;
        string? Get(string name)
        {
            if (query is not null && query.TryGetValue(name, out var v) && !string.IsNullOrEmpty(v.ToString())) return v.ToString();
            return body?[name] switch
            {
                JsonValue jv when jv.TryGetValue<string>(out var s) => s,
                JsonValue jv when jv.TryGetValue<double>(out var d) => d.ToString("R", CultureInfo.InvariantCulture),
                _ => null,
            };
        }

        var gallery = Get("gallery");
        if (string.IsNullOrEmpty(gallery)) throw Issue("gallery", "Field required: ?gallery=<gallery id>", "missing");

        var k = options.DefaultK;
        if (Get("k") is { } ks && (!int.TryParse(ks, NumberStyles.Integer, CultureInfo.InvariantCulture, out k) || k < 1 || k > options.MaxK))
        {
            throw Issue("k", $"k must be an integer in [1, {options.MaxK}]", "value_error");
        }

        double? far = Number(Get("far"), "far");
        double? score = Number(Get("threshold"), "threshold");
        if (far is not null && score is not null) throw Issue("far", "give either threshold (a score) or far (a target FAR), not both", "value_error");
        if (far is { } f && !(f > 0 && f <= 1)) throw Issue("far", "far must be a target false-accept rate in (0, 1]", "value_error");
        if (score is { } s && !(s >= 0 && s <= 1)) throw Issue("threshold", "threshold must be a score in [0, 1]", "value_error");
        return new IdentificationQuery(gallery, k, far is null && score is null ? null : new MatchThreshold(far, score));
    }

    private static double? Number(string? text, string name)
    {
        if (text is null) return null;
        return double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) && double.IsFinite(d)
            ? d
            : throw Issue(name, "Input should be a valid number", "float_parsing");
    }

    private static ApiException Issue(string name, string msg, string type) => new([new ValidationIssue(["query", name], msg, type)]);
}
