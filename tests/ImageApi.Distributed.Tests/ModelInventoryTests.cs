using ImageApi.Hosting;
using ImageApi.Inference;

namespace ImageApi.Distributed.Tests;

/// <summary><c>--list-models</c> (what services/Dockerfile copies into a single-service image): exactly the model
/// folders the host opens at start-up, and a host started from only those folders gets ready and answers.</summary>
public sealed class ModelInventoryTests
{
    [Fact]
    public void Fitter_ListsTheDetectorLandmarkAndPoseModels_AndNothingElse()
    {
        using var host = ServiceHosts.Create[ServiceNames.FaceDetectorFaceFitter](new Dictionary<string, string?>());
        Assert.Equal(["face-detector-yunet-n", "face-headpose-fsanet-1x1", "face-headpose-fsanet-var", "face-landmarks-pfld-ghostone-98"],
            ModelInventory.Folders(host.Services));
    }

    [Fact]
    public void EverySingleServiceHost_ListsOnlyFoldersOfTheManifest_AndTheBodyDetectorNoFaceModel()
    {
        var manifest = File.ReadAllText(Path.Combine(new ModelOptions().ResolveDirectory(), ModelManifest.FileName));
        var lists = new Dictionary<string, IReadOnlyList<string>>();
        foreach (var (service, create) in ServiceHosts.Create)
        {
            using var host = create(new Dictionary<string, string?>());
            lists[service] = ModelInventory.Folders(host.Services);
            Assert.All(lists[service], f => Assert.Contains($"\"{f}/", manifest, StringComparison.Ordinal));
        }

        Assert.All(lists[ServiceNames.BodyDetector], f => Assert.StartsWith("body-detector-", f, StringComparison.Ordinal));
        Assert.Empty(lists[ServiceNames.VerifyMatcher]);
        Assert.Contains(lists[ServiceNames.TemplateExtractor], f => f.StartsWith("face-recognition-", StringComparison.Ordinal));
    }

    [Fact]
    public async Task AHost_WithOnlyItsListedModels_GetsReadyAndAnswers()
    {
        string[] folders;
        using (var lister = ServiceHosts.Create[ServiceNames.FaceDetectorFaceFitter](new Dictionary<string, string?>()))
        {
            folders = [.. ModelInventory.Folders(lister.Services)];
        }

        // What the image build does: models.json and the listed folders, nothing else.
        var source = new ModelOptions().ResolveDirectory();
        var image = Directory.CreateTempSubdirectory("imageapi-models-").FullName;
        try
        {
            File.Copy(Path.Combine(source, "models.json"), Path.Combine(image, "models.json"));
            foreach (var folder in folders)
            {
                Directory.CreateDirectory(Path.Combine(image, folder));
                foreach (var file in Directory.GetFiles(Path.Combine(source, folder))) File.Copy(file, Path.Combine(image, folder, Path.GetFileName(file)));
            }

            using var host = ServiceHosts.Create[ServiceNames.FaceDetectorFaceFitter](new Dictionary<string, string?> { ["Models:Directory"] = image });
            using var client = host.CreateClient();
            var ready = await ReadyAsync(client);
            Assert.True(ready, "the fitter did not get ready with only its listed models");
            var body = "{\"_version\":2,\"_image\":{\"blob\":\"" + Convert.ToBase64String(TestData.Bytes("identity/obama_1.jpg")) + "\",\"format\":\"IMAGE\"}}";
            using var answer = await client.PostAsync($"/{ServiceNames.FaceDetectorFaceFitter}/process/sample",
                new StringContent(body, System.Text.Encoding.UTF8, "application/json"));
            Assert.Equal(System.Net.HttpStatusCode.OK, answer.StatusCode);
        }
        finally
        {
            Directory.Delete(image, recursive: true);
        }
    }

    private static async Task<bool> ReadyAsync(HttpClient client)
    {
        for (var i = 0; i < 300; i++)
        {
            using var r = await client.GetAsync("/health/ready");
            if (r.IsSuccessStatusCode) return true;
            var text = await r.Content.ReadAsStringAsync();
            if (text.StartsWith("Unhealthy", StringComparison.Ordinal)) return false;
            await Task.Delay(100);
        }

        return false;
    }
}
