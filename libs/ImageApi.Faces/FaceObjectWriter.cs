using System.Text.Json.Nodes;
using ImageApi.Contracts;

namespace ImageApi.Faces;

/// <summary>
/// Writes a fitted face into a response object in the vendor's key order (shared/spec/examples/face-detector-face-fitter.*):
/// detection (<c>id, class, confidence, bbox</c>) and fitting (v1 <c>fitter, angles</c>; v2 <c>keypoints, pose</c>).
/// Existing keys are overwritten in place; other keys of the object stay.
/// </summary>
public static class FaceObjectWriter
{
    /// <summary>
    /// The face detectors' answer: the client's face objects are replaced by one object per face of
    /// <paramref name="faces"/> (ids from the first free one, in order; objects of other classes stay), each with its
    /// detection fields and then what <paramref name="writeMore"/> adds for face <c>i</c> (the fitting, a template).
    /// </summary>
    public static void ReplaceFaceObjects(Sample sample, ImageSource image, IReadOnlyList<FittedFace> faces, Action<JsonObject, int> writeMore)
    {
        sample.ReplaceObjectsOfClass(FieldNames.ClassFace, faces.Count, (id, i) =>
        {
            var o = new JsonObject();
            WriteDetection(o, id, faces[i], image.Width, image.Height);
            writeMore(o, i);
            return o;
        });
    }

    /// <summary><c>id</c>, <c>class: "face"</c>, <c>confidence</c>, <c>bbox</c> (relative, clamped to [0, 1]).</summary>
    public static void WriteDetection(JsonObject o, int id, FittedFace f, int imgW, int imgH)
    {
        o[FieldNames.Id] = id;
        o[FieldNames.Class] = FieldNames.ClassFace;
        o[FieldNames.Confidence] = (double)f.Score;
        o[FieldNames.Bbox] = Bbox(f.Box, imgW, imgH);
    }

    /// <summary>A box as <c>bbox</c> is written: relative to the image, clamped to [0, 1].</summary>
    public static JsonArray Bbox(Box box, int imgW, int imgH) =>
        new(Relative(box.X1, imgW), Relative(box.Y1, imgH), Relative(box.X2, imgW), Relative(box.Y2, imgH));

    /// <summary>v1: <c>fitter {fitter_type, keypoints [x, y, 0]×21 px, left_eye, right_eye}</c> + <c>angles {yaw, roll, pitch}</c>;
    /// v2: <c>keypoints {name: {proj: [x, y] relative}×21, fitter_type}</c> + <c>pose {yaw, roll, pitch}</c>.
    /// Keypoints are not clamped: a point of a face cut by the border may lie outside the photo.</summary>
    public static void WriteFitting(JsonObject o, FittedFace f, ApiVersion v, int imgW, int imgH)
    {
        if (v == ApiVersion.V1)
        {
            var flat = new JsonArray();
            foreach (var p in f.Keypoints)
            {
                flat.Add((JsonNode)JsonValue.Create(p.X));
                flat.Add((JsonNode)JsonValue.Create(p.Y));
                flat.Add((JsonNode)JsonValue.Create(0));
            }

            o[FieldNames.Fitter] = new JsonObject
            {
                [FieldNames.FitterType] = FieldNames.FitterTypeValue,
                [FieldNames.Keypoints] = flat,
                [FieldNames.LeftEye] = Pixel(f.Keypoints[KeypointNames.LeftEye]),
                [FieldNames.RightEye] = Pixel(f.Keypoints[KeypointNames.RightEye]),
            };
            o[FieldNames.Angles] = Pose(f);
            return;
        }

        var keypoints = new JsonObject();
        for (var i = 0; i < KeypointNames.Count; i++)
        {
            var p = f.Keypoints[i];
            keypoints[KeypointNames.All[i]] = new JsonObject
            {
                [FieldNames.Proj] = new JsonArray((double)p.X / imgW, (double)p.Y / imgH),
            };
        }

        keypoints[FieldNames.FitterType] = FieldNames.FitterTypeValue;
        o[FieldNames.Keypoints] = keypoints;
        o[FieldNames.Pose] = Pose(f);
    }

    private static JsonArray Pixel(Vector2 p) => new(p.X, p.Y);

    private static JsonObject Pose(FittedFace f) => new()
    {
        [FieldNames.Yaw] = f.Pose.Yaw,
        [FieldNames.Roll] = f.Pose.Roll,
        [FieldNames.Pitch] = f.Pose.Pitch,
    };

    private static double Relative(float v, int size) => Math.Clamp((double)v / size, 0, 1);
}
