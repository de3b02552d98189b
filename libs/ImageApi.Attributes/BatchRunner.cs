using ImageApi.Inference;

namespace ImageApi.Attributes;

/// <summary>Runs N packed items through a model: as one batch when its batch dimension is dynamic, else one by one.</summary>
internal static class BatchRunner
{
    /// <summary>
    /// Packs item <c>i</c> with <paramref name="pack"/> into a <paramref name="itemShape"/> slot and returns, per output
    /// name asked for, the flat data of all N items (item-major).
    /// </summary>
    public static float[][] Run(OnnxModel model, int count, int[] itemShape, Action<int, Span<float>> pack,
        string[] outputNames, CancellationToken ct)
    {
        var itemSize = 1;
        foreach (var d in itemShape) itemSize *= d;
        var results = new float[outputNames.Length][];
        if (count == 0)
        {
            for (var o = 0; o < outputNames.Length; o++) results[o] = [];
            return results;
        }

        var batched = FaceCrop.HasDynamicBatch(model);
        var perRun = batched ? count : 1;
        for (var start = 0; start < count; start += perRun)
        {
            ct.ThrowIfCancellationRequested();
            var tensor = new float[perRun * itemSize];
            for (var i = 0; i < perRun; i++) pack(start + i, tensor.AsSpan(i * itemSize, itemSize));
            long[] shape = [perRun, .. itemShape.Select(d => (long)d)];
            var outputs = model.Run(tensor, shape, ct);
            for (var o = 0; o < outputNames.Length; o++)
            {
                var data = model.Output(outputs, outputNames[o]).Data;
                results[o] ??= new float[data.Length / perRun * count];
                data.CopyTo(results[o], data.Length * (start / perRun));
            }
        }

        return results;
    }
}
