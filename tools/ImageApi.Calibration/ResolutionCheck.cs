namespace ImageApi.Calibration;

internal static class ResolutionCheck
{
    public static void Run(IServiceProvider provider, string testdata, string reportPath)
    {
        throw new NotImplementedException();
    }
}
