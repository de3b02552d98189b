using System.Diagnostics;
using ImageApi.TestSupport;
using Microsoft.Playwright;
using Xunit.Abstractions;

namespace ImageApi.Browser.Tests;

/// <summary>The demo page at <c>/</c> in Debian's chromium: a real photo in, the API's answer drawn, the curl
/// command it shows reproducing that answer, the API's own error text when it refuses.</summary>
[Collection(BrowserCollection.Name)]
public sealed class DemoPageTests(LiveHost host, ITestOutputHelper output)
{
    private const float Timeout = 180_000; // ms: nine stages over eight faces on a 2-core CI machine, first call cold

    [Fact]
    public async Task FullAnalysis_GroupPhoto_DrawsEveryFaceOfTheAnswer_AndItsCurlCommandReproducesIt()
    {
        var (page, foreign, errors) = await host.NewPageAsync();
        await page.GotoAsync(host.BaseUrl + "/");
        var photo = TestData.PathOf("group/compreface_016_8.jpg");
        await page.Locator("#file-a").SetInputFilesAsync(photo);
        await page.GetByRole(AriaRole.Button, new() { Name = "Full analysis" }).ClickAsync();
        await page.Locator("#results[data-state='done']").WaitForAsync(new() { Timeout = Timeout });

        // One request, the pipeline route with every service; its answer as the page shows it.
        var card = page.Locator(".request[data-request='1']");
        Assert.Contains("/pipeline/process/sample?services=face-detector-face-fitter,body-detector,", await card.Locator(".url").TextContentAsync());
        var answer = JsonNode.Parse((await card.Locator("pre.raw-json").TextContentAsync())!)!;
        var faces = answer["objects"]!.AsArray().Count(o => (string?)o!["class"] == "face");
        var bodies = answer["objects"]!.AsArray().Count(o => (string?)o!["class"] == "body");
        Assert.True(faces >= 6, $"{faces} faces in the answer for a photo of 8 people");
        Assert.Equal(faces.ToString(), await page.Locator("#canvas-a").GetAttributeAsync("data-faces"));
        Assert.Equal(bodies.ToString(), await page.Locator("#canvas-a").GetAttributeAsync("data-bodies"));
        Assert.Equal(faces, await page.Locator(".face").CountAsync());

        // Every per-face result is on the page: 7 emotion bars and the 29 quality fields per face, one timing bar per stage.
        var first = page.Locator(".face").First;
        Assert.Equal(7, await first.Locator("ul.bars li").CountAsync());
        Assert.Equal(29, await first.Locator("table.quality tbody tr").CountAsync());
        Assert.Equal(9, await page.Locator("#timings li").CountAsync());

        // "Copy as curl" copies the command shown; run as printed, in the photo's folder, it gives the same answer.
        await card.GetByRole(AriaRole.Button, new() { Name = "Copy as curl" }).ClickAsync();
        var copied = await page.EvaluateAsync<string>("() => navigator.clipboard.readText()");
        Assert.Equal(await card.Locator("pre.curl").TextContentAsync(), copied);
        var reproduced = JsonNode.Parse(await RunBashAsync(copied, Path.GetDirectoryName(photo)!))!.AsObject();
        // Timings are measured anew, everything else must match.
        Assert.NotNull(reproduced["timings"]);
        reproduced.Remove("timings");
        answer.AsObject().Remove("timings");
        JsonCompare.Equal(answer, reproduced);

        await ScreenshotAsync(page, "demo-full-analysis.png");
        Assert.Empty(foreign);
        Assert.Empty(errors);
    }

    [Fact]
    public async Task TwoPhotos_OfOnePerson_InV1_ShowTheMatchersVerdict_AtPhoneWidth()
    {
        var (page, foreign, errors) = await host.NewPageAsync(width: 390, height: 844);
        await page.GotoAsync(host.BaseUrl + "/");
        await page.Locator("#file-a").SetInputFilesAsync(TestData.PathOf("identity/obama_1.jpg"));
        await page.Locator("#file-b").SetInputFilesAsync(TestData.PathOf("identity/obama_2.jpg"));
        // Just the face fitter: the page adds template-extractor itself, because a second photo means verification.
        foreach (var box in await page.Locator("input[name=service]").AllAsync()) await box.SetCheckedAsync(false);
        await page.GetByLabel("Faces: box, 21 keypoints, head pose").CheckAsync();
        // v1 this time: keypoints as pixel triplets under "fitter", templates as "$template".
        await page.Locator("input[name=dialect][value=v1]").CheckAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Run the chosen services" }).ClickAsync();
        await page.Locator("#results[data-state='done']").WaitForAsync(new() { Timeout = Timeout });

        Assert.Equal(3, await page.Locator(".request").CountAsync());
        foreach (var (slot, n) in new[] { ("a", 1), ("b", 2) })
        {
            var photoAnswer = JsonNode.Parse((await page.Locator($".request[data-request='{n}'] pre.raw-json").TextContentAsync())!)!;
            var faces = photoAnswer["objects"]!.AsArray().Where(o => (string?)o!["class"] == "face").ToList();
            Assert.Equal(faces.Count.ToString(), await page.Locator($"#canvas-{slot}").GetAttributeAsync("data-faces"));
            Assert.All(faces, f => Assert.NotNull(f!["$template"]));
        }

        var verify = page.Locator(".request[data-request='3']");
        Assert.Contains("/verify-matcher/process/sample", await verify.Locator(".url").TextContentAsync());
        var answer = JsonNode.Parse((await verify.Locator("pre.raw-json").TextContentAsync())!)!;
        var score = answer["verification"]!["score"]!.GetValue<double>();
        Assert.Equal(score, double.Parse((await page.Locator("#verification").GetAttributeAsync("data-score"))!, System.Globalization.CultureInfo.InvariantCulture));
        var text = await page.Locator("#verification").InnerTextAsync();
        Assert.Contains("Same person", text); // two photos of one person (face_recognition's own test pair)
        Assert.Contains("FAR", text);
        Assert.Contains("FRR", text);

        // The verify command carries the templates itself (a heredoc) and works from any folder.
        var reproduced = JsonNode.Parse(await RunBashAsync((await verify.Locator("pre.curl").TextContentAsync())!, Path.GetTempPath()))!;
        JsonCompare.Equal(answer, reproduced);

        // Phone width: nothing wider than the screen.
        Assert.True(await page.EvaluateAsync<bool>("() => document.documentElement.scrollWidth <= window.innerWidth"));
        await ScreenshotAsync(page, "demo-verification-phone.png");
        Assert.Empty(foreign);
        Assert.Empty(errors);
    }

    [Fact]
    public async Task Gallery_CreatedOnThePage_EnrolsObama_AndSearchesShowTheApisTopMatches()
    {
        var (page, foreign, errors) = await host.NewPageAsync();
        await page.GotoAsync(host.BaseUrl + "/");
        var gallery = "demo-" + Guid.NewGuid().ToString("N")[..8];

        // Create: the select lists the new gallery and has it chosen.
        await page.GetByLabel("New gallery id").FillAsync(gallery);
        await page.GetByRole(AriaRole.Button, new() { Name = "Create gallery" }).ClickAsync();
        await page.Locator("#results[data-state='done']").WaitForAsync(new() { Timeout = Timeout });
        Assert.Equal(gallery, await page.GetByLabel("Gallery", new() { Exact = true }).InputValueAsync());

        // Enrol the largest face of obama_1 as "obama", with a name: two requests (person, then the photo).
        await LoadPhotoAsync(page, "identity/obama_1.jpg");
        await page.GetByLabel("Person id").FillAsync("obama");
        await page.GetByLabel("Name (optional").FillAsync("Barack Obama");
        await page.GetByRole(AriaRole.Button, new() { Name = "Enrol the largest face" }).ClickAsync();
        await page.Locator("#results[data-state='done']").WaitForAsync(new() { Timeout = Timeout });
        var person = await AnswerOfAsync(page.Locator(".request").First);
        Assert.Equal("Barack Obama", person["metadata"]!["name"]!.GetValue<string>());
        var enrolment = await AnswerOfAsync(page.Locator(".request").Last);
        Assert.Contains($"/galleries/{gallery}/persons/obama/templates", await page.Locator(".request").Last.Locator(".url").TextContentAsync());
        Assert.Single(enrolment["enrolled"]!.AsArray());
        Assert.Equal(1, enrolment["templates"]!.GetValue<int>());
        Assert.Equal("1", await page.Locator("#canvas-a").GetAttributeAsync("data-faces"));

        // Search obama_2: the API's top match is obama, and the page shows (and draws) what the API answered.
        await LoadPhotoAsync(page, "identity/obama_2.jpg");
        var obama = await SearchAsync(page);
        var faces = Faces(obama);
        var largest = faces.IndexOf(faces.MaxBy(f => Area(f["bbox"]!.AsArray()))!);
        Assert.Equal("obama", (string?)faces[largest]["matches"]![0]!["person_id"]);
        Assert.Equal("obama", await page.Locator(".face-match").Nth(largest).Locator("tr[data-person]").First.GetAttributeAsync("data-person"));
        // Its curl command, run as printed in the photo's folder, gives the same answer.
        var card = page.Locator(".request").Last;
        Assert.Contains($"/face-identifier/process/sample?gallery={gallery}", await card.Locator(".url").TextContentAsync());
        JsonCompare.Equal(obama, JsonNode.Parse(await RunBashAsync((await card.Locator("pre.curl").TextContentAsync())!,
            Path.GetDirectoryName(TestData.PathOf("identity/obama_2.jpg"))!)));

        await ScreenshotAsync(page, "demo-gallery.png");

        // Search biden_1: whatever the API answers, no face of it has obama on top (at the gallery's default threshold).
        await LoadPhotoAsync(page, "identity/biden_1.jpg");
        var biden = await SearchAsync(page);
        Assert.All(Faces(biden), f => Assert.NotEqual("obama", (string?)f["matches"]!.AsArray().FirstOrDefault()?["person_id"]));

        Assert.Empty(foreign);
        Assert.Empty(errors);
    }

    private static async Task LoadPhotoAsync(IPage page, string relative)
    {
        await page.Locator("#file-a").SetInputFilesAsync(TestData.PathOf(relative));
        await page.Locator($"#name-a:has-text('{Path.GetFileName(relative)}')").WaitForAsync();
    }

    /// <summary>Presses "Search", returns the API's answer as the page shows it, after checking that every face's
    /// listed matches (person, score, fa_r) and the person drawn on top are that answer's.</summary>
    private static async Task<JsonNode> SearchAsync(IPage page)
    {
        await page.GetByRole(AriaRole.Button, new() { Name = "Search the photo's faces" }).ClickAsync();
        await page.Locator("#results[data-state='done']").WaitForAsync(new() { Timeout = Timeout });
        var answer = await AnswerOfAsync(page.Locator(".request").Last);
        var faces = Faces(answer);
        Assert.NotEmpty(faces);
        var cards = page.Locator(".face-match");
        Assert.Equal(faces.Count, await cards.CountAsync());
        var drawn = JsonNode.Parse((await page.Locator("#canvas-a").GetAttributeAsync("data-top-matches"))!)!.AsArray();
        Assert.Equal(faces.Count, drawn.Count);
        for (var i = 0; i < faces.Count; i++)
        {
            var matches = faces[i]["matches"]!.AsArray();
            Assert.Equal((string?)matches.FirstOrDefault()?["person_id"], (string?)drawn[i]);
            var rows = await cards.Nth(i).Locator("tr[data-person]").AllAsync();
            Assert.Equal(matches.Count, rows.Count);
            if (matches.Count == 0) Assert.Equal(1, await cards.Nth(i).Locator(".no-match").CountAsync());
            for (var r = 0; r < rows.Count; r++)
            {
                Assert.Equal((string?)matches[r]!["person_id"], await rows[r].GetAttributeAsync("data-person"));
                Assert.Equal(matches[r]!["score"]!.GetValue<double>(), Number(await rows[r].GetAttributeAsync("data-score")));
                Assert.Equal(matches[r]!["fa_r"]!.GetValue<double>(), Number(await rows[r].GetAttributeAsync("data-far")));
            }
        }

        return answer;
    }

    private static async Task<JsonNode> AnswerOfAsync(ILocator card) =>
        JsonNode.Parse((await card.Locator("pre.raw-json").TextContentAsync())!)!;

    private static List<JsonNode> Faces(JsonNode answer) =>
        [.. answer["objects"]!.AsArray().Where(o => (string?)o!["class"] == "face").Select(o => o!)];

    private static double Area(JsonArray b) =>
        (b[2]!.GetValue<double>() - b[0]!.GetValue<double>()) * (b[3]!.GetValue<double>() - b[1]!.GetValue<double>());

    private static double Number(string? s) => double.Parse(s!, System.Globalization.CultureInfo.InvariantCulture);

    [Fact]
    public async Task NotAnImage_ShowsTheApisDetail()
    {
        var (page, _, _) = await host.NewPageAsync();
        await page.GotoAsync(host.BaseUrl + "/");
        await page.Locator("#file-a").SetInputFilesAsync(new FilePayload
        {
            Name = "notes.jpg", MimeType = "image/jpeg", Buffer = "these are not pixels"u8.ToArray(),
        });
        await page.GetByRole(AriaRole.Button, new() { Name = "Full analysis" }).ClickAsync();
        await page.Locator("#results[data-state='error']").WaitForAsync(new() { Timeout = Timeout });
        var detail = JsonNode.Parse((await page.Locator(".request[data-request='1'] pre.raw-json").TextContentAsync())!)!["detail"]!.GetValue<string>();
        Assert.Equal($"HTTP 400: {detail}", await page.Locator("#error").InnerTextAsync());
    }

    [Fact]
    public async Task EveryControl_HasALabel_AndTheKeyboardReachesThePhotoInput()
    {
        var (page, _, _) = await host.NewPageAsync();
        await page.GotoAsync(host.BaseUrl + "/");
        var unlabelled = await page.EvaluateAsync<string[]>(
            "() => [...document.querySelectorAll('input, button, select, textarea')]" +
            ".filter(e => !(e.labels && e.labels.length) && !e.textContent.trim() && !e.getAttribute('aria-label')).map(e => e.outerHTML)");
        Assert.Empty(unlabelled);
        for (var i = 0; i < 10 && await page.EvaluateAsync<string>("() => document.activeElement.id") != "file-a"; i++)
            await page.Keyboard.PressAsync("Tab");
        Assert.Equal("file-a", await page.EvaluateAsync<string>("() => document.activeElement.id"));
    }

    private async Task ScreenshotAsync(IPage page, string name)
    {
        var path = Artifacts.PathOf(name);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = path, FullPage = true });
        output.WriteLine($"screenshot: {path}");
        Console.WriteLine($"[browser-tests] screenshot: {path}");
    }

    private static async Task<string> RunBashAsync(string script, string workingDirectory)
    {
        var start = new ProcessStartInfo("bash", ["-euo", "pipefail", "-c", script])
        {
            WorkingDirectory = workingDirectory, RedirectStandardOutput = true, RedirectStandardError = true,
        };
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(3));
        Assert.True(process.ExitCode == 0, $"bash exited {process.ExitCode}: {await stderr}");
        return await stdout;
    }
}
