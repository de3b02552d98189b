namespace ImageApi.Distributed.Tests;

/// <summary>face-identifier in the distributed mode: its /galleries routes and its sample route through the
/// orchestrator (Dapr service invocation, the HTTP verb kept), and in a pipeline whose hops carry the search
/// parameters in the sample.</summary>
[Collection(DistributedCollection.Name)]
public sealed class IdentificationTests(DistributedFixture fx)
{
    [Fact]
    public async Task GalleriesAndSearch_ThroughTheOrchestrator()
    {
        var g = "d-" + Guid.NewGuid().ToString("N")[..8];
        var o = fx.Orchestrator;
        Assert.Equal(201, (await o.PostJsonAsync("/galleries", new JsonObject { ["id"] = g })).Status);
        Assert.Equal(201, (await o.PostJsonAsync($"/galleries/{g}/persons", new JsonObject { ["id"] = "obama" })).Status);
        var enrolled = await o.PostJsonAsync($"/galleries/{g}/persons/obama/templates",
            new JsonObject { ["$image"] = TestData.Base64("identity/obama_1.jpg") });
        Assert.Equal(201, enrolled.Status);
        var person = await o.GetAsync($"/galleries/{g}/persons/obama");
        Assert.Equal(1, person.Body!["templates"]!.GetValue<int>());
        var missing = await o.GetAsync($"/galleries/{g}/persons/ghost");
        Assert.Equal(404, missing.Status);
        Assert.Equal($"Person 'ghost' not found in gallery '{g}'", missing.Body!["detail"]!.GetValue<string>());

        var found = await o.PostJsonAsync($"/face-identifier/process/sample?gallery={g}&echo_image=false",
            new JsonObject { ["$image"] = TestData.Base64("identity/obama_2.jpg") });
        Assert.Equal(200, found.Status);
        Assert.Equal("obama", found.Body!["objects"]![0]!["matches"]![0]!["person_id"]!.GetValue<string>());

        var piped = await o.PostJsonAsync("/pipeline/process/sample?services=face-detector-template-extractor,face-identifier&echo_image=false",
            new JsonObject { ["$image"] = TestData.Base64("identity/obama_3.jpg"), ["identification"] = new JsonObject { ["gallery"] = g } });
        Assert.Equal(200, piped.Status);
        Assert.Equal("obama", piped.Body!["objects"]![0]!["matches"]![0]!["person_id"]!.GetValue<string>());
        Assert.Contains(fx.Sidecar.Invocations, i => i.App == ServiceNames.FaceIdentifier);

        using var client = o.CreateClient();
        using var deleted = await client.DeleteAsync($"/galleries/{g}");
        Assert.Equal(204, (int)deleted.StatusCode);
        Assert.Equal(404, (await o.GetAsync($"/galleries/{g}")).Status);
    }
}
