namespace ImageApi.Calibration;

/// <summary>How an image was enrolled.</summary>
internal enum EnrolStatus : byte
{
    /// <summary>A face was found in the image as given.</summary>
    Direct = 0,

    /// <summary>No face as given; found after padding the image by half its size on each side (tight ORL crops).</summary>
    Padded = 1,

    /// <summary>No face even after padding: failure to enrol, counted apart from FRR.</summary>
    Failed = 2,
}
