namespace ImageApi.Calibration;

internal static class RocBuilder
{
    public static void Run(List<CalibrationImage> images, Dictionary<string, EnrolledImage> cache, string modelSha, string tablePath, string reportPath)
    {
        throw new NotImplementedException();
    }
}
