namespace ImageApi.Samples;

/// <summary>A model-family wrapper that opens its sessions and runs one dummy inference at start-up, so the
/// first real request is not the slow one and <c>/health/ready</c> means ready.</summary>
public interface IWarmable
{
    void WarmUp();
}
