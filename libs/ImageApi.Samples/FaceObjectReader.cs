using System.Numerics;
using ImageApi.Contracts;

namespace ImageApi.Samples;

/// <summary>
/// Reads and validates the face objects of a request: <c>bbox</c> must be 4 numbers in [0,1] with x1 &lt; x2 and
/// y1 &lt; y2 (else 422 at <c>["body","objects",i,"bbox"]</c>) — a coordinate overshooting [0, 1] by at most
/// <see cref="BboxTolerance"/> (as other vendors' detectors write for faces cut by the border) is clamped, not refused.
/// Keypoints are read from v1 <c>fitter.keypoints</c> (pixels) or v2 <c>keypoints.{name}.proj</c> (relative) — in
/// either dialect, whatever the request's version: a client that mixes the two gets its keypoints used, not ignored.
/// </summary>
public static class FaceObjectReader
{
    /// <summary>How far outside [0, 1] a bbox coordinate may lie and still be clamped (beyond: 422).</summary>
    public const double BboxTolerance = 0.1;

    /// <summary>All objects of class "face" that carry a bbox; objects of other classes are skipped. No face is not an
    /// error: a photo without a face passes through every estimator unchanged (a pipeline or pub/sub request completes).</summary>
    public static List<FaceInput> ReadFaces(Sample sample)
    {
        var image = sample.RequireImage();
        var faces = new List<FaceInput>();
        foreach (var (index, obj) in sample.ObjectsOfClass(FieldNames.ClassFace))
        {
            if (!obj.ContainsKey(FieldNames.Bbox))
            {
                throw ApiException.Invalid("Field required", "missing", FieldNames.Objects, index, FieldNames.Bbox);
            }

            var rel = ReadRelativeBox(obj[FieldNames.Bbox], index);
            var box = new Box(rel.X1 * image.Width, rel.Y1 * image.Height, rel.X2 * image.Width, rel.Y2 * image.Height);
            if (box.Width < 1 || box.Height < 1)
            {
                throw ApiException.Invalid("bbox is smaller than one pixel of the image", "value_error", FieldNames.Objects, index, FieldNames.Bbox);
            }

            // The request's own dialect first; the other dialect's shape is used when that is all the object carries.
            var keypoints = sample.Version == ApiVersion.V1
                ? ReadV1Keypoints(obj, index) ?? ReadV2Keypoints(obj, index, image.Width, image.Height)
                : ReadV2Keypoints(obj, index, image.Width, image.Height) ?? ReadV1Keypoints(obj, index);
            faces.Add(new FaceInput(index, obj, box, keypoints));
        }

        return faces;
    }

    /// <summary>Validates a relative bbox: 4 finite numbers in [0,1] (clamped within <see cref="BboxTolerance"/>), x1 &lt; x2, y1 &lt; y2.</summary>
    public static Box ReadRelativeBox(JsonNode? node, int index)
    {
        object[] loc = [FieldNames.Objects, index, FieldNames.Bbox];
        if (node is not JsonArray arr || arr.Count != 4)
        {
            throw ApiException.Invalid("bbox must be a list of 4 numbers [x1, y1, x2, y2]", "list_type", loc);
        }

        Span<float> v = stackalloc float[4];
        for (var i = 0; i < 4; i++)
        {
            if (!TryNumber(arr[i], out var d) || !double.IsFinite(d))
            {
                throw ApiException.Invalid("Input should be a valid number", "float_type", [.. loc, i]);
            }

            if (d < -BboxTolerance || d > 1 + BboxTolerance)
            {
                throw ApiException.Invalid("bbox coordinates must be relative, in [0, 1]", "value_error", [.. loc, i]);
            }

            v[i] = (float)Math.Clamp(d, 0, 1);
        }

        if (!(v[0] < v[2]) || !(v[1] < v[3]))
        {
            throw ApiException.Invalid("bbox must have x1 < x2 and y1 < y2", "value_error", loc);
        }

        return new Box(v[0], v[1], v[2], v[3]);
    }

    public static bool TryNumber(JsonNode? node, out double value)
    {
        value = 0;
        if (node is not JsonValue jv) return false;
        if (jv.TryGetValue(out double d)) { value = d; return true; }
        if (jv.TryGetValue(out float f)) { value = f; return true; }
        if (jv.TryGetValue(out long l)) { value = l; return true; }
        if (jv.TryGetValue(out int i)) { value = i; return true; }
        if (jv.TryGetValue(out System.Text.Json.JsonElement e) && e.ValueKind == System.Text.Json.JsonValueKind.Number)
        {
            value = e.GetDouble();
            return true;
        }

        return false;
    }

    private static Vector2[]? ReadV1Keypoints(JsonObject obj, int index)
    {
        if (obj[FieldNames.Fitter] is not JsonObject fitter || fitter[FieldNames.Keypoints] is not JsonArray kp) return null;
        if (kp.Count != KeypointNames.Count * 3)
        {
            throw ApiException.Invalid($"fitter.keypoints must hold {KeypointNames.Count * 3} numbers (x, y, 0 per point)",
                "value_error", FieldNames.Objects, index, FieldNames.Fitter, FieldNames.Keypoints);
        }

        var points = new Vector2[KeypointNames.Count];
        for (var i = 0; i < KeypointNames.Count; i++)
        {
            if (!TryNumber(kp[3 * i], out var x) || !TryNumber(kp[3 * i + 1], out var y))
            {
                throw ApiException.Invalid("Input should be a valid number", "float_type",
                    FieldNames.Objects, index, FieldNames.Fitter, FieldNames.Keypoints, 3 * i);
            }

            points[i] = new Vector2((float)x, (float)y);
        }

        return points;
    }

    private static Vector2[]? ReadV2Keypoints(JsonObject obj, int index, int width, int height)
    {
        if (obj[FieldNames.Keypoints] is not JsonObject kp) return null;
        var points = new Vector2[KeypointNames.Count];
        for (var i = 0; i < KeypointNames.Count; i++)
        {
            var name = KeypointNames.All[i];
            if (kp[name] is not JsonObject p || p[FieldNames.Proj] is not JsonArray proj || proj.Count < 2
                || !TryNumber(proj[0], out var x) || !TryNumber(proj[1], out var y))
            {
                throw ApiException.Invalid($"keypoints.{name}.proj must be [x, y] relative to the image", "value_error",
                    FieldNames.Objects, index, FieldNames.Keypoints, name);
            }

            points[i] = new Vector2((float)x * width, (float)y * height);
        }

        return points;
    }
}
