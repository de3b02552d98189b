using System.Diagnostics;
using Microsoft.ML.OnnxRuntime;

namespace ImageApi.Inference;

/// <summary>
/// One ONNX model with its single <see cref="InferenceSession"/> for the process lifetime (Run is thread-safe).
/// Input/output names and shapes are read once at load time; model-family wrappers check them there and fail fast.
/// </summary>
public sealed class OnnxModel : IDisposable
{
    private readonly InferenceSession _session;

    internal OnnxModel(ModelEntry entry, InferenceSession session, string provider)
    {
        Entry = entry;
        _session = session;
        Provider = provider;
        InputNames = [.. session.InputMetadata.Keys];
        OutputNames = [.. session.OutputMetadata.Keys];
        InputShapes = session.InputMetadata.ToDictionary(kv => kv.Key, kv => kv.Value.Dimensions);
        OutputShapes = session.OutputMetadata.ToDictionary(kv => kv.Key, kv => kv.Value.Dimensions);
    }

    public ModelEntry Entry { get; }
    public string Name => Entry.Name;
    public string Provider { get; }

    /// <summary>Why this model runs on the CPU although CUDA was asked for; null when it runs where asked.</summary>
    public string? Fallback { get; internal init; }
    public IReadOnlyList<string> InputNames { get; }
    public IReadOnlyList<string> OutputNames { get; }

    /// <summary>Declared input dimensions (−1 = dynamic).</summary>
    public IReadOnlyDictionary<string, int[]> InputShapes { get; }

    public IReadOnlyDictionary<string, int[]> OutputShapes { get; }

    /// <summary>Runs the model on a single float input and returns every output.</summary>
    public IReadOnlyList<NamedTensor> Run(float[] input, long[] shape, CancellationToken ct = default) =>
        Run([(InputNames[0], input.AsMemory(), shape)], ct);

    /// <summary>Runs the model on a single float input held in a pooled <see cref="TensorBuffer"/>.</summary>
    public IReadOnlyList<NamedTensor> Run(TensorBuffer input, long[] shape, CancellationToken ct = default) =>
        Run([(InputNames[0], input.Memory, shape)], ct);

    /// <summary>The most input floats one CPU run takes (0 = no limit); larger batches run in parts.</summary>
    public int MaxRunInputFloats { get; internal init; }

    /// <summary>Runs the model on named float inputs (flat NCHW data with shapes) and returns every output. The
    /// memory is pinned and read in place for the duration of the run (no copy).</summary>
    /// <remarks>
    /// A batch of one input larger than <see cref="MaxRunInputFloats"/> runs in parts of as many items as fit, the
    /// outputs joined along the batch. ONNX Runtime's CPU arena keeps, per model, its largest run's activations for the
    /// life of the process, so one many-face photo would set the footprint of every later request; on the CPU an item
    /// costs the same in a small run as in a large one (docs/performance.md, "Memory, session 9").
    /// </remarks>
    public IReadOnlyList<NamedTensor> Run(IReadOnlyList<(string Name, Memory<float> Data, long[] Shape)> inputs, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        if (inputs.Count != 1 || inputs[0].Shape.Length == 0 || inputs[0].Shape[0] <= 1) return RunOnce(inputs, ct);
        var (name, data, shape) = inputs[0];
        var count = (int)shape[0];
        var itemFloats = data.Length / count;
        var perRun = ItemsPerRun(count, itemFloats);
        if (perRun >= count) return RunOnce(inputs, ct);

        var joined = new List<float>[OutputNames.Count];
        long[][] shapes = new long[OutputNames.Count][];
        for (var start = 0; start < count; start += perRun)
        {
            var n = Math.Min(perRun, count - start);
            long[] partShape = [n, .. shape[1..]];
            var outputs = RunOnce([(name, data.Slice(start * itemFloats, n * itemFloats), partShape)], ct);
            for (var o = 0; o < outputs.Count; o++)
            {
                (joined[o] ??= new List<float>(outputs[o].Data.Length / n * count)).AddRange(outputs[o].Data);
                shapes[o] ??= outputs[o].Shape;
            }
        }

        var result = new NamedTensor[joined.Length];
        for (var o = 0; o < result.Length; o++) result[o] = new NamedTensor(OutputNames[o], [.. joined[o]], [count, .. shapes[o][1..]]);
        return result;
    }

    /// <summary>How many of <paramref name="count"/> items of <paramref name="itemFloats"/> floats one run takes: all of
    /// them, unless they are over the CPU budget and the graph leaves the first dimension open in the input and every
    /// output (so the parts can be joined along it); then parts of equal size (48 items, 13 per run → 4 runs of 12),
    /// not three full ones and a remainder.</summary>
    private int ItemsPerRun(int count, int itemFloats)
    {
        if (MaxRunInputFloats <= 0 || count <= 1 || (long)count * itemFloats <= MaxRunInputFloats || !HasDynamicBatch) return count;
        if (OutputShapes.Values.Any(s => s.Length == 0 || s[0] > 0)) return count;
        var perRun = Math.Max(1, MaxRunInputFloats / Math.Max(1, itemFloats));
        var parts = (count + perRun - 1) / perRun;
        return (count + parts - 1) / parts;
    }

    private IReadOnlyList<NamedTensor> RunOnce(IReadOnlyList<(string Name, Memory<float> Data, long[] Shape)> inputs, CancellationToken ct)
    {
        using var activity = ImageApiTelemetry.Source.StartActivity("model " + Name);
        if (activity is not null)
        {
            activity.SetTag("imageapi.model.name", Name);
            activity.SetTag("imageapi.model.version", Entry.Version);
            activity.SetTag("imageapi.model.provider", Provider);
            if (Fallback is not null) activity.SetTag("imageapi.model.fallback", Fallback);
            activity.SetTag("imageapi.model.batch_size", inputs[0].Shape[0]);
            activity.SetTag("imageapi.model.input_shape", string.Join('x', inputs[0].Shape));
        }

        var started = Stopwatch.GetTimestamp();
        var values = new OrtValue[inputs.Count];
        var names = new string[inputs.Count];
        try
        {
            for (var i = 0; i < inputs.Count; i++)
            {
                names[i] = inputs[i].Name;
                values[i] = OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance, inputs[i].Data, inputs[i].Shape);
            }

            using var options = new RunOptions();
            using var registration = ct.CanBeCanceled ? ct.Register(() => options.Terminate = true) : default;
            using var outputs = RunSession(options, names, values, ct);
            var result = new NamedTensor[outputs.Count];
            for (var i = 0; i < outputs.Count; i++)
            {
                var value = outputs[i];
                var shape = value.GetTensorTypeAndShape().Shape;
                result[i] = new NamedTensor(OutputNames[i], value.GetTensorDataAsSpan<float>().ToArray(), shape);
            }

            return result;
        }
        finally
        {
            foreach (var v in values) v?.Dispose();
            var elapsed = Stopwatch.GetTimestamp() - started;
            ModelTime.Record(elapsed);
            ImageApiTelemetry.ModelRunDuration.Record(Stopwatch.GetElapsedTime(started, started + elapsed).TotalSeconds,
                new KeyValuePair<string, object?>("model", Name), new KeyValuePair<string, object?>("provider", Provider));
        }
    }

    private IDisposableReadOnlyCollection<OrtValue> RunSession(RunOptions options, string[] names, OrtValue[] values, CancellationToken ct)
    {
        try
        {
            return _session.Run(options, names, values, [.. OutputNames]);
        }
        catch (OnnxRuntimeException) when (ct.IsCancellationRequested)
        {
            // ORT ends a terminated run with its own error: report it as the cancellation it is (client gone or
            // deadline passed), not as a model failure.
            throw new OperationCanceledException(ct);
        }
    }

    /// <summary>
    /// Fails with a clear message unless the model's first input has the item shape <paramref name="itemShape"/>
    /// (the dimensions after the batch; a dimension the graph leaves open matches anything) and the model has every
    /// output in <paramref name="outputs"/>. Model families call it once, when they first load their model, so a
    /// wrong or re-exported file fails at start-up instead of answering with nonsense.
    /// </summary>
    public OnnxModel RequireLayout(int[] itemShape, params string[] outputs)
    {
        ArgumentNullException.ThrowIfNull(itemShape);
        var actual = InputShapes[InputNames[0]];
        var matches = actual.Length == itemShape.Length + 1;
        for (var i = 0; matches && i < itemShape.Length; i++) matches = actual[i + 1] <= 0 || actual[i + 1] == itemShape[i];
        if (!matches)
        {
            throw new InvalidOperationException(
                $"Model '{Name}': input '{InputNames[0]}' is [{string.Join(", ", actual)}], expected [N, {string.Join(", ", itemShape)}] (models/{Name}/SOURCE.md)");
        }

        var missing = outputs.Where(o => !OutputNames.Contains(o)).ToList();
        if (missing.Count > 0)
        {
            throw new InvalidOperationException(
                $"Model '{Name}': no output {string.Join(", ", missing.Select(m => $"'{m}'"))} (it has {string.Join(", ", OutputNames.Select(m => $"'{m}'"))}; models/{Name}/SOURCE.md)");
        }

        return this;
    }

    /// <summary>True when the first input accepts any batch size (dynamic or absent batch dimension).</summary>
    public bool HasDynamicBatch => InputShapes[InputNames[0]] is var s && (s.Length == 0 || s[0] <= 0);

    /// <summary>
    /// Runs <paramref name="count"/> items packed back to back in <paramref name="input"/> (each of
    /// <paramref name="itemShape"/>, without the batch dimension) — as one batch when the batch dimension is dynamic,
    /// else one run per item (ONNX Runtime rejects any other batch size on a fixed-1 input) — and returns, for each of
    /// <paramref name="outputNames"/>, the data of all items concatenated in item order.
    /// </summary>
    public float[][] RunItems(TensorBuffer input, int count, int[] itemShape, IReadOnlyList<string> outputNames, CancellationToken ct)
    {
        var results = new float[outputNames.Count][];
        if (count == 0)
        {
            for (var o = 0; o < results.Length; o++) results[o] = [];
            return results;
        }

        var itemSize = input.Length / count;
        var perRun = HasDynamicBatch ? count : 1;
        long[] shape = [perRun, .. itemShape.Select(d => (long)d)];
        for (var start = 0; start < count; start += perRun)
        {
            ct.ThrowIfCancellationRequested();
            // A slice of the pooled buffer goes to ORT as it is: no per-item copy.
            var outputs = Run([(InputNames[0], input.Memory.Slice(start * itemSize, perRun * itemSize), shape)], ct);
            for (var o = 0; o < results.Length; o++)
            {
                var data = Output(outputs, outputNames[o]).Data;
                results[o] ??= new float[data.Length / perRun * count];
                data.CopyTo(results[o], data.Length * (start / perRun));
            }
        }

        return results;
    }

    /// <summary>As <see cref="RunItems(TensorBuffer, int, int[], IReadOnlyList{string}, CancellationToken)"/>, with
    /// item <c>i</c> written by <paramref name="pack"/> into its slot of a pooled buffer (zeroed first). Only one run's
    /// items are packed at a time, so the buffer is one run's size whatever the number of faces: a buffer for all eight
    /// 640×480 mask crops of a group photo would be past the pool's sizes, a fresh allocation every request.</summary>
    public float[][] RunItems(int count, int[] itemShape, Action<int, Span<float>> pack, IReadOnlyList<string> outputNames, CancellationToken ct)
    {
        var itemSize = 1;
        foreach (var d in itemShape) itemSize *= d;
        var results = new float[outputNames.Count][];
        if (count == 0)
        {
            for (var o = 0; o < results.Length; o++) results[o] = [];
            return results;
        }

        var perRun = HasDynamicBatch ? ItemsPerRun(count, itemSize) : 1;
        using var input = new TensorBuffer(perRun * itemSize);
        for (var start = 0; start < count; start += perRun)
        {
            var n = Math.Min(perRun, count - start);
            var slots = input.Span[..(n * itemSize)];
            if (start > 0) slots.Clear();
            for (var i = 0; i < n; i++) pack(start + i, slots.Slice(i * itemSize, itemSize));
            var outputs = Run([(InputNames[0], input.Memory[..(n * itemSize)], [n, .. itemShape.Select(d => (long)d)])], ct);
            for (var o = 0; o < results.Length; o++)
            {
                var data = Output(outputs, outputNames[o]).Data;
                var perItem = data.Length / n;
                // Every item's outputs are copied in below: no need to zero the joined array first.
                results[o] ??= GC.AllocateUninitializedArray<float>(perItem * count);
                data.CopyTo(results[o], start * perItem);
            }
        }

        return results;
    }

    public NamedTensor Output(IReadOnlyList<NamedTensor> outputs, string name) =>
        outputs.FirstOrDefault(o => o.Name == name) ?? throw new InvalidOperationException($"{Name}: no output '{name}'");

    public void Dispose() => _session.Dispose();
}
