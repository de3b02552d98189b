using ImageApi.Inference;

namespace ImageApi.Faces;

/// <summary>
/// Runs N same-shaped items through a model as one batch when its batch dimension is dynamic, or one item per run
/// when the model declares a fixed batch of 1 (ONNX Runtime rejects any other batch size for such inputs).
/// </summary>
internal static class ModelBatch
{
    /// <summary>True when the model's first input accepts any batch size.</summary>
    public static bool IsDynamic(OnnxModel model) => model.InputShapes[model.InputNames[0]] is { Length: > 0 } s && s[0] <= 0;

    /// <summary>Runs <paramref name="count"/> items packed back to back in <paramref name="data"/> (each of
    /// <paramref name="itemShape"/>) and returns <paramref name="output"/> for all items, concatenated in item order.</summary>
    public static float[] Run(OnnxModel model, float[] data, int count, int[] itemShape, string output, CancellationToken ct)
    {
        if (count == 0) return [];
        var itemSize = 1;
        foreach (var d in itemShape) itemSize *= d;
        if (IsDynamic(model) || count == 1)
        {
            long[] shape = [count, .. itemShape.Select(d => (long)d)];
            return model.Output(model.Run(data, shape, ct), output).Data;
        }

        long[] one = [1, .. itemShape.Select(d => (long)d)];
        float[]? result = null;
        var item = new float[itemSize];
        for (var i = 0; i < count; i++)
        {
            Array.Copy(data, i * itemSize, item, 0, itemSize);
            var o = model.Output(model.Run(item, one, ct), output).Data;
            result ??= new float[o.Length * count];
            o.CopyTo(result, i * o.Length);
        }

        return result!;
    }
}
