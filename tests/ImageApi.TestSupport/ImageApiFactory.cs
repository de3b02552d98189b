using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;

namespace ImageApi.TestSupport;

/// <summary>The embedded host in-process (all twelve services). Share one per test class via IClassFixture.</summary>
public class ImageApiFactory : WebApplicationFactory<Program>
{
    /// <summary>This host's identification data directory (a fresh temporary folder unless set before the host
    /// starts, e.g. to the folder of an earlier factory to test a restart).</summary>
    public string DataDirectory
    {
        get => _dataDirectory;
        set
        {
            _dataDirectory = value;
            _ownsDataDirectory = false; // a folder given by the test outlives this host (restart tests)
        }
    }

    private string _dataDirectory = Path.Combine(Path.GetTempPath(), "imageapi-tests", Guid.NewGuid().ToString("N"));
    private bool _ownsDataDirectory = true;

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        GC.SuppressFinalize(this);
        if (!_ownsDataDirectory || !Directory.Exists(_dataDirectory)) return;
        try
        {
            Directory.Delete(_dataDirectory, recursive: true);
        }
        catch (IOException)
        {
            // A file still open by a host that has not finished stopping: the OS temp folder keeps it.
        }
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.UseSetting("Identification:DataDirectory", DataDirectory);
    }

    /// <summary>POSTs a JSON body to <c>/{service}/process/sample</c> and returns status and parsed body.</summary>
    public async Task<(int Status, JsonNode? Body)> PostSampleAsync(string service, JsonNode body, string query = "")
    {
        using var client = CreateClient();
        using var content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json");
        using var response = await client.PostAsync($"/{service}/process/sample{query}", content);
        return ((int)response.StatusCode, await ReadAsync(response));
    }

    /// <summary>POSTs raw text as the JSON body (for malformed-JSON tests).</summary>
    public async Task<(int Status, JsonNode? Body)> PostRawAsync(string path, string raw, string contentType = "application/json")
    {
        using var client = CreateClient();
        using var content = new StringContent(raw, Encoding.UTF8, contentType);
        using var response = await client.PostAsync(path, content);
        return ((int)response.StatusCode, await ReadAsync(response));
    }

    /// <summary>POSTs a multipart upload (field <c>image</c>) to <c>/{service}/process/image</c>.</summary>
    public async Task<(int Status, JsonNode? Body)> PostImageAsync(string service, byte[] image, string fileName = "image.jpg", string query = "")
    {
        using var client = CreateClient();
        using var form = new MultipartFormDataContent();
        var file = new ByteArrayContent(image);
        file.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        form.Add(file, "image", fileName);
        using var response = await client.PostAsync($"/{service}/process/image{query}", form);
        return ((int)response.StatusCode, await ReadAsync(response));
    }

    private static async Task<JsonNode?> ReadAsync(HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        return text.Length == 0 ? null : JsonNode.Parse(text);
    }
}
