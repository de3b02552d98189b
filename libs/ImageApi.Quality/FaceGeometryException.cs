namespace ImageApi.Quality;

/// <summary>
/// A face's keypoints cannot be measured (the eyes coincide, so there is no inter-eye axis to align on). Carries the
/// face's index in the request's <c>objects</c>; the service adapter answers 422 at that face's keypoints in the
/// request's dialect.
/// </summary>
public sealed class FaceGeometryException(int faceIndex, string message) : Exception(message)
{
    public int FaceIndex { get; } = faceIndex;
}
