namespace ImageApi.Calibration;

/// <summary>One method's ROC on the calibration set: the table written, the service histogram, the two identity halves
/// and the parts.</summary>
internal sealed record MethodResult(TemplateMethod Method, RocTable Table, DistanceHistogram All, DistanceHistogram[] Halves,
    Dictionary<string, DistanceHistogram> PerPart, int Enrolled, int Failed);
