namespace ImageApi.Attributes.Tests;

/// <summary>Builds attribute-service requests the way a client does: the faces come from face-detector-face-fitter.</summary>
internal static class FaceRequests
{
    /// <summary>The v1/v2 body with the image of <paramref name="file"/> and <paramref name="objects"/>.</summary>
    public static JsonObject Body(string file, string version, JsonArray objects)
    {
        var body = version == "v1"
            ? new JsonObject { [FieldNames.ImageV1] = "" }
            : new JsonObject { [FieldNames.ImageV2] = new JsonObject { [FieldNames.Blob] = "", [FieldNames.Format] = FieldNames.ImageFormat } };
        SpecExamples.WithImage(body, file);
        body[FieldNames.Objects] = objects;
        return body;
    }

    /// <summary>
    /// The face objects face-detector-face-fitter returns for <paramref name="file"/>. When it finds none (a tight crop:
    /// the whole picture is the face), the request carries the whole image as the bbox, as a client holding crops would.
    /// </summary>
    public static async Task<JsonArray> FacesAsync(ImageApiFactory factory, string file, string version = "v2")
    {
        var (status, response) = await factory.PostSampleAsync(ServiceNames.FaceDetectorFaceFitter, Body(file, version, []));
        Xunit.Assert.Equal(200, status);
        var faces = new JsonArray();
        foreach (var o in response![FieldNames.Objects]!.AsArray())
        {
            if (o![FieldNames.Class]!.GetValue<string>() == FieldNames.ClassFace) faces.Add(o.DeepClone());
        }

        if (faces.Count == 0) faces.Add((JsonNode)WholeImageFace());
        return faces;
    }

    public static JsonObject WholeImageFace() => new()
    {
        [FieldNames.Id] = 0,
        [FieldNames.Class] = FieldNames.ClassFace,
        [FieldNames.Bbox] = new JsonArray(0.0, 0.0, 1.0, 1.0),
    };

    /// <summary>Posts the faces of <paramref name="file"/> to an attribute service and returns the face objects answered.</summary>
    public static async Task<JsonArray> EstimateAsync(ImageApiFactory factory, string service, string file, string version = "v2")
    {
        var faces = await FacesAsync(factory, file, version);
        var (status, response) = await factory.PostSampleAsync(service, Body(file, version, faces));
        Xunit.Assert.True(status == 200, $"{service} on {file}: {status} {response?.ToJsonString()}");
        return response![FieldNames.Objects]!.AsArray();
    }

    /// <summary>The face with the largest bbox (the labelled subject of a portrait).</summary>
    public static JsonObject Largest(JsonArray faces) =>
        faces.Select(f => f!.AsObject()).MaxBy(f =>
        {
            var b = f[FieldNames.Bbox]!.AsArray();
            return (b[2]!.GetValue<double>() - b[0]!.GetValue<double>()) * (b[3]!.GetValue<double>() - b[1]!.GetValue<double>());
        })!;

    public static IEnumerable<string> LabelledFiles(string column, params string[] folders) =>
        TestData.Labels.Where(r => folders.Any(f => r["file"].StartsWith(f + "/", StringComparison.Ordinal)) && r[column].Length > 0)
            .Select(r => r["file"]);
}
