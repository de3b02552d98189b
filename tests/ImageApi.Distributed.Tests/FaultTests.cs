namespace ImageApi.Distributed.Tests;

/// <summary>A stage app that is down, slow or failing gives the client a clear 502/504 <c>detail</c> quickly —
/// never a hang (orchestrator with a 1 s stage timeout).</summary>
[Collection(DistributedCollection.Name)]
public sealed class FaultTests(DistributedFixture fx)
{
    private static readonly TimeSpan Quickly = TimeSpan.FromSeconds(15);

    private async Task<Answer> CallWithFaultAsync(string service, AppFault fault, string path = "")
    {
        var request = await ServiceRequests.BuildAsync(service, "v2", fx.Embedded);
        fx.Sidecar.SetFault(service, fault);
        try
        {
            return await fx.FastFailOrchestrator.PostJsonAsync(path.Length > 0 ? path : $"/{service}/process/sample", request);
        }
        finally
        {
            fx.Sidecar.ClearFault(service);
        }
    }

    [Fact]
    public async Task Forward_AppDown_502NamingTheService()
    {
        var answer = await CallWithFaultAsync(ServiceNames.AgeEstimator, new AppFault(Down: true));

        Assert.Equal(502, answer.Status);
        Assert.Contains("'age-estimator' is unreachable", (string)answer.Body!["detail"]!, StringComparison.Ordinal);
        Assert.True(answer.Elapsed < Quickly, $"took {answer.Elapsed}");
    }

    [Fact]
    public async Task Forward_AppSlowerThanTheTimeout_504Quickly()
    {
        var answer = await CallWithFaultAsync(ServiceNames.GenderEstimator, new AppFault(Delay: TimeSpan.FromMinutes(2)));

        Assert.Equal(504, answer.Status);
        Assert.Equal("Service 'gender-estimator' did not answer within 1 s", (string)answer.Body!["detail"]!);
        Assert.True(answer.Elapsed < Quickly, $"took {answer.Elapsed}");
    }

    [Fact]
    public async Task Forward_AppAnswers500_502NamingTheService()
    {
        var answer = await CallWithFaultAsync(ServiceNames.MaskEstimator, new AppFault(Status: 500));

        Assert.Equal(502, answer.Status);
        Assert.Equal("Service 'mask-estimator' failed with HTTP 500: Internal server error", (string)answer.Body!["detail"]!);
    }

    [Fact]
    public async Task Forward_SidecarUnreachable_502()
    {
        var request = SpecExamples.Request(ServiceNames.FaceDetectorFaceFitter, "v1", ServiceRequests.FaceImage);
        fx.Sidecar.Unreachable = true;
        Answer answer;
        try
        {
            answer = await fx.FastFailOrchestrator.PostJsonAsync($"/{ServiceNames.FaceDetectorFaceFitter}/process/sample", request);
        }
        finally
        {
            fx.Sidecar.Unreachable = false;
        }

        Assert.Equal(502, answer.Status);
        Assert.Contains("Dapr sidecar", (string)answer.Body!["detail"]!, StringComparison.Ordinal);
        Assert.True(answer.Elapsed < Quickly, $"took {answer.Elapsed}");
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Pipeline_StageDownOrSlow_FailsFastNamingTheStage(bool slow)
    {
        var fault = slow ? new AppFault(Delay: TimeSpan.FromMinutes(2)) : new AppFault(Down: true);
        var path = $"/pipeline/process/sample?services={ServiceNames.FaceDetectorFaceFitter},{ServiceNames.LivenessEstimator}";
        var request = SpecExamples.Request(ServiceNames.FaceDetectorFaceFitter, "v2", ServiceRequests.FaceImage);
        fx.Sidecar.SetFault(ServiceNames.FaceDetectorFaceFitter, fault);
        Answer answer;
        try
        {
            answer = await fx.FastFailOrchestrator.PostJsonAsync(path, request);
        }
        finally
        {
            fx.Sidecar.ClearFault(ServiceNames.FaceDetectorFaceFitter);
        }

        Assert.Equal(slow ? 504 : 502, answer.Status);
        Assert.Contains("'face-detector-face-fitter'", (string)answer.Body!["detail"]!, StringComparison.Ordinal);
        Assert.True(answer.Elapsed < Quickly, $"took {answer.Elapsed}");
    }
}
