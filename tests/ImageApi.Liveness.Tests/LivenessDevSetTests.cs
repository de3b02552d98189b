using static ImageApi.Liveness.Tests.LivenessRequests;

namespace ImageApi.Liveness.Tests;

/// <summary>
/// The operating point published in /info and docs (LivenessOperatingPoint) is what the services really do on
/// shared/liveness-dev, seen the way tools/ImageApi.Eval.Liveness sees it: detector service on each crop, and when it
/// finds no face, liveness-estimator with the whole crop as the bbox.
/// </summary>
public sealed class LivenessDevSetTests(ImageApiFactory factory) : IClassFixture<ImageApiFactory>
{
    [Fact]
    public async Task ShippedOperatingPoint_OnLivenessDev_ReproducesPublishedRates()
    {
        var dir = Path.Combine(TestData.Shared, "liveness-dev");
        var rows = File.ReadAllLines(Path.Combine(dir, "labels.csv")).Skip(1).Where(l => l.Length > 0).Select(l => l.Split(',')).ToList();
        int attacks = 0, attacksAccepted = 0, bonaFide = 0, bonaFideRejected = 0;
        foreach (var row in rows)
        {
            var (file, isReal) = (row[0], row[2] == "real");
            var b64 = Convert.ToBase64String(await File.ReadAllBytesAsync(Path.Combine(dir, file)));
            var image = new System.Text.Json.Nodes.JsonObject { ["blob"] = b64, ["format"] = "IMAGE" };
            var (status, body) = await factory.PostSampleAsync(ServiceNames.FaceDetectorLivenessEstimator,
                new System.Text.Json.Nodes.JsonObject { ["_image"] = image }, "?echo_image=false");
            Assert.Equal(200, status);
            var faces = FacesOf(body);
            if (faces.Length == 0)
            {
                var request = new System.Text.Json.Nodes.JsonObject
                {
                    ["_image"] = image.DeepClone(),
                    ["objects"] = new System.Text.Json.Nodes.JsonArray(Face(0, 0, 1, 1)),
                };
                (status, body) = await factory.PostSampleAsync(ServiceNames.LivenessEstimator, request, "?echo_image=false");
                Assert.Equal(200, status);
                faces = FacesOf(body);
            }

            var (answeredReal, _) = LivenessOf(faces[0]);
            if (isReal) { bonaFide++; bonaFideRejected += answeredReal ? 0 : 1; }
            else { attacks++; attacksAccepted += answeredReal ? 1 : 0; }
        }

        Assert.Equal(100, attacks);
        Assert.Equal(100, bonaFide);
        double apcer = attacksAccepted / (double)attacks, bpcer = bonaFideRejected / (double)bonaFide;
        Assert.True(Math.Abs(apcer - LivenessOperatingPoint.MeasuredApcer) <= 0.03 && Math.Abs(bpcer - LivenessOperatingPoint.MeasuredBpcer) <= 0.03,
            $"APCER {apcer:P1} / BPCER {bpcer:P1}, published {LivenessOperatingPoint.MeasuredApcer:P1} / {LivenessOperatingPoint.MeasuredBpcer:P1}: " +
            "re-run tools/ImageApi.Eval.Liveness and update LivenessOperatingPoint");
    }
}
