namespace ImageApi.Faces.Tests;

/// <summary>The photos of one person: labels.csv <c>num_faces = 1</c> plus the one-person folders (identity, edge cases,
/// age/gender, liveness, mask); tests use those in which the stage finds exactly one face.</summary>
internal static class SingleFacePhotos
{
    public static IReadOnlyList<string> All { get; } =
    [
        .. TestData.Labels.Where(r => r["num_faces"] == "1").Select(r => r["file"])
            .Concat(new[] { "identity", "edge_cases", "age_gender", "liveness", "mask" }.SelectMany(TestData.Files))
            .Distinct().Order(StringComparer.Ordinal),
    ];

    /// <summary>Portraits judged frontal by looking at them (not by the model's yaw).</summary>
    public static readonly string[] Frontal =
    [
        "identity/obama_1.jpg", "identity/alex_lacamoire_1.jpg", "identity/rose_leslie_2.jpg",
        "identity/compreface_A_004.jpg", "identity/compreface_C_009.jpg",
    ];
}
