namespace ImageApi.Samples;

/// <summary>Head pose in degrees (vendor names: yaw, roll, pitch). Signs are documented by the pose estimator.</summary>
public readonly record struct HeadPose(float Yaw, float Roll, float Pitch);
