namespace ImageApi.Inference;

/// <summary>A model output copied out of ONNX Runtime: flat float data and its shape.</summary>
public sealed record NamedTensor(string Name, float[] Data, long[] Shape)
{
    public int Dim(int i) => (int)Shape[i];

    /// <summary>The i-th item of the batch (dimension 0), as a span.</summary>
    public ReadOnlySpan<float> Item(int i)
    {
        var size = Data.Length / (int)Shape[0];
        return Data.AsSpan(i * size, size);
    }
}
