using System.Globalization;

namespace ImageApi.Bodies.Tests;

/// <summary>The CompreFace group photos <c>group/compreface_*_N.jpg</c>, N = people annotated by the source.</summary>
internal static class GroupPhotos
{
    public static IEnumerable<string> CompreFace =>
        TestData.Files("group").Where(f => Path.GetFileName(f).StartsWith("compreface_", StringComparison.Ordinal));

    public static int PeopleIn(string file) =>
        int.Parse(Path.GetFileNameWithoutExtension(file).Split('_')[^1], CultureInfo.InvariantCulture);
}
