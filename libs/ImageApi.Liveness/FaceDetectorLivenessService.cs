using System.Text.Json.Nodes;
using ImageApi.Contracts;
using ImageApi.Faces;

namespace ImageApi.Liveness;

/// <summary>
/// <c>face-detector-liveness-estimator</c>: image only → every face the fitting stage finds (the same faces as
/// face-detector-face-fitter), each with the detector's fields (id, class, confidence, bbox) plus <c>liveness</c>.
/// Face objects the client sent are replaced; objects of other classes are kept as they came.
/// </summary>
public sealed class FaceDetectorLivenessService(FaceFitting fitting, LivenessEstimator estimator) : IImageApiService
{
    public ValueTask ProcessAsync(Sample sample, CancellationToken ct)
    {
        var image = sample.RequireImage();
        var faces = fitting.Fit(image, ct);
        var objects = new JsonObject[faces.Count];
        var boxes = new Box[faces.Count];
        for (var i = 0; i < faces.Count; i++)
        {
            objects[i] = new JsonObject();
            FaceObjectWriter.WriteDetection(objects[i], i, faces[i], image.Width, image.Height);
            // The liveness crop is built from the bbox as written (clamped, relative), read back exactly as
            // liveness-estimator reads it: the same face then gives the same pixels, and the same answer, in both.
            var rel = FaceObjectReader.ReadRelativeBox(objects[i][FieldNames.Bbox], i);
            boxes[i] = new Box(rel.X1 * image.Width, rel.Y1 * image.Height, rel.X2 * image.Width, rel.Y2 * image.Height);
        }

        var decisions = estimator.Estimate(image, boxes, ct);
        // Like the other face detectors: the client's face objects are replaced, other classes stay; the array is
        // present (possibly empty) even when no face is found.
        var answer = sample.RemoveObjectsOfClass(FieldNames.ClassFace);
        var firstId = sample.FirstFreeId();
        for (var i = 0; i < faces.Count; i++)
        {
            objects[i][FieldNames.Id] = firstId + i;
            LivenessObjectWriter.Write(objects[i], decisions[i], sample.Version);
            answer.Add((JsonNode)objects[i]);
        }

        return ValueTask.CompletedTask;
    }
}
