using System.Text.Json.Nodes;
using ImageApi.Contracts;
using ImageApi.Imaging;
using ImageApi.Samples;

namespace ImageApi.Eval.Attributes;

/// <summary>A dev image after the face-detector-face-fitter stage: its source and the face a user would pass on
/// (the largest found), or none when the detector missed.</summary>
internal sealed record LocatedFace(DevLabel Label, ImageSource Image, FittedFace? Fitted)
{
    public bool Missed => Fitted is null;

    /// <summary>The request object the attribute services would receive (v2 detection + fitting fields).</summary>
    public JsonObject RequestObject()
    {
        var o = new JsonObject();
        FaceObjectWriter.WriteDetection(o, 0, Fitted!, Image.Width, Image.Height);
        FaceObjectWriter.WriteFitting(o, Fitted!, ApiVersion.V2, Image.Width, Image.Height);
        return o;
    }

    /// <summary>The face as the estimators see it behind a request: the bbox clamped to the image (the fitter writes it
    /// so) and the 21 keypoints, in original pixels.</summary>
    public FaceInput Input() => new(0, new JsonObject(), Fitted!.Box.ClampTo(Image.Width, Image.Height),
        Fitted.Keypoints.Length == 0 ? null : Fitted.Keypoints);

    /// <summary>The whole image as the box: what a client with an already-cropped face would send.</summary>
    public FaceInput WholeImage() => new(0, new JsonObject(), new Box(0, 0, Image.Width, Image.Height), null);

    /// <summary>This image with the whole picture as its face (no detector result).</summary>
    public LocatedFace AsWholeImage() => this with
    {
        Fitted = new FittedFace(new Box(0, 0, Image.Width, Image.Height), 0, [], [], [], new HeadPose(0, 0, 0)),
    };

    /// <summary>Every face the detector finds in a photo, each with the photo's label.</summary>
    public static IEnumerable<LocatedFace> LocateAll(DevLabel label, string path, ImageDecoder decoder, FaceFitting fitting, CancellationToken ct)
    {
        var image = new ImageSource(File.ReadAllBytes(path), decoder);
        return fitting.Fit(image, ct).Select(f => new LocatedFace(label, image, f));
    }

    public static LocatedFace Locate(DevLabel label, string root, ImageDecoder decoder, FaceFitting fitting, CancellationToken ct)
    {
        var image = new ImageSource(File.ReadAllBytes(Path.Combine(root, label.File)), decoder);
        var faces = fitting.Fit(image, ct);
        var largest = faces.OrderByDescending(f => f.Box.Area).FirstOrDefault();
        return new LocatedFace(label, image, largest);
    }
}
