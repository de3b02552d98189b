using System.Numerics;
using ImageApi.Faces;
using ImageApi.Imaging;
using ImageApi.Pipeline;

namespace ImageApi.Attributes;

/// <summary>The 5 alignment points the aligned attribute models need (ArcFace template order).</summary>
internal static class AlignmentPoints
{
    /// <summary>The request's keypoints when it carried them, else landmarks located inside the box by the fitting
    /// stage (never a silent skip of the alignment the model needs).</summary>
    public static Vector2[][] Of(FaceFitting fitting, ImageSource image, IReadOnlyList<FaceInput> faces, CancellationToken ct)
    {
        var result = new Vector2[faces.Count][];
        var missing = new List<int>();
        for (var i = 0; i < faces.Count; i++)
        {
            if (faces[i].FivePoints is { } p) result[i] = p;
            else missing.Add(i);
        }

        if (missing.Count > 0)
        {
            var fitted = fitting.FitBoxes(image, [.. missing.Select(i => faces[i].Box)], ct);
            for (var k = 0; k < missing.Count; k++) result[missing[k]] = fitted[k].FivePoints;
        }

        return result;
    }
}
