using ImageApi.Contracts;
using K = ImageApi.Contracts.KeypointNames;

namespace ImageApi.Faces.Tests;

public sealed class KeypointTests(FaceStageFixture stage) : IClassFixture<FaceStageFixture>
{
    [Fact]
    public void Fit_EverySingleFacePhoto_KeypointsInAnatomicalOrderInsideBox()
    {
        var problems = new List<string>();
        var checkedPhotos = 0;
        foreach (var file in SingleFacePhotos.All)
        {
            var faces = stage.Fit(file);
            if (faces.Count != 1) continue;
            checkedPhotos++;
            var f = faces[0];
            var k = f.Keypoints;
            Assert.Equal(K.Count, k.Length);
            var eyesY = MathF.Max(k[K.LeftEye].Y, k[K.RightEye].Y);
            var mouthY = k[K.Mouth].Y;
            if (!(k[K.LeftEye].X < k[K.RightEye].X)) problems.Add($"{file}: left_eye not left of right_eye");
            if (!(eyesY < k[K.Nose].Y)) problems.Add($"{file}: eyes not above nose");
            if (!(k[K.Nose].Y < mouthY)) problems.Add($"{file}: nose not above mouth");
            if (!(mouthY < k[K.Chin].Y)) problems.Add($"{file}: mouth not above chin");
            var b = f.Box;
            float mx = 0.2f * b.Width, my = 0.2f * b.Height;
            for (var i = 0; i < K.Count; i++)
            {
                if (k[i].X < b.X1 - mx || k[i].X > b.X2 + mx || k[i].Y < b.Y1 - my || k[i].Y > b.Y2 + my)
                {
                    problems.Add($"{file}: {K.All[i]} {k[i]} outside box {b} ± 20 %");
                }
            }
        }

        Assert.True(checkedPhotos >= 30, $"only {checkedPhotos} single-face photos checked");
        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }

    [Fact]
    public void Fit_Obama_EyesArePupilsBetweenTheirCorners()
    {
        var k = stage.Fit("identity/obama_1.jpg").Single().Keypoints;
        Assert.InRange(k[K.LeftEye].X, k[6].X, k[8].X);
        Assert.InRange(k[K.RightEye].X, k[9].X, k[11].X);
        // Brows above the eyes, ears outside the eye corners, mouth centre between the corners.
        Assert.True(k[1].Y < k[K.LeftEye].Y && k[4].Y < k[K.RightEye].Y);
        Assert.True(k[12].X < k[6].X && k[16].X > k[11].X);
        Assert.InRange(k[K.Mouth].X, k[K.MouthLeft].X, k[K.MouthRight].X);
    }

    [Fact]
    public void Fit_FivePoints_AreTheVendorEyesNoseAndMouthCorners()
    {
        var f = stage.Fit("identity/rose_leslie_2.jpg").Single();
        Vector2[] fromVendor = [f.Keypoints[K.LeftEye], f.Keypoints[K.RightEye], f.Keypoints[K.Nose], f.Keypoints[K.MouthLeft], f.Keypoints[K.MouthRight]];
        Assert.Equal(fromVendor, f.FivePoints);
        Assert.Equal(98, f.Landmarks98.Length);
        Assert.Equal(KeypointNames.Count, f.Keypoints.Length);
    }
}
