namespace ImageApi.Identification.Tests;

/// <summary>The SQLite store survives a restart: a new host on the same data directory rebuilds its index from the
/// file and finds what the first host enrolled; what was deleted stays deleted.</summary>
public sealed class RestartTests
{
    [Fact]
    public async Task NewHostOnTheSameDataDirectory_FindsTheEnrolment()
    {
        var dir = Path.Combine(Path.GetTempPath(), "imageapi-tests", "restart-" + Guid.NewGuid().ToString("N"));
        try
        {
            await using (var first = new ImageApiFactory { DataDirectory = dir })
            {
                var api = Api.Of(first);
                await api.CreateGalleryAsync("staff", new JsonObject { ["far"] = 0.01 });
                await api.AddPersonAsync("staff", "obama");
                await api.EnrolImageAsync("staff", "obama", "obama_1.jpg");
                await api.AddPersonAsync("staff", "forgotten");
                await api.EnrolImageAsync("staff", "forgotten", "biden_1.jpg");
                Assert.Equal(204, (await api.DeleteAsync("/galleries/staff/persons/forgotten")).Status);
            }

            Assert.True(File.Exists(Path.Combine(dir, SqliteGalleryStore.FileName)));
            await using var second = new ImageApiFactory { DataDirectory = dir };
            var again = Api.Of(second);
            var (_, gallery) = await again.GetAsync("/galleries/staff");
            Assert.Equal(0.01, gallery!["far"]!.GetValue<double>());
            Assert.Equal(1, gallery["persons"]!.GetValue<int>());
            Assert.Equal(1, gallery["templates"]!.GetValue<int>());
            var (_, answer) = await again.IdentifyAsync(Bodies.Image("obama_2.jpg"), "gallery=staff&threshold=0");
            var matches = Bodies.Faces(answer)[0]["matches"]!.AsArray();
            Assert.Equal("obama", Assert.Single(matches)!["person_id"]!.GetValue<string>());
            var (_, info) = await again.GetAsync("/info");
            Assert.Equal(1, info!["identification"]!["templates"]!.GetValue<int>());
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            if (Directory.Exists(dir)) Directory.Delete(dir, recursive: true);
        }
    }
}
