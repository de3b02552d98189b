namespace ImageApi.Inference;

/// <summary>A model output copied out of ONNX Runtime: flat float data and its shape.</summary>
public sealed record NamedTensor(string Name, float[] Data, long[] Shape);
