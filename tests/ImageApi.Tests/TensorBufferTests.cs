using System.Buffers;
using ImageApi.Inference;

namespace ImageApi.Tests;

/// <summary>The pooled model-input buffer: exactly the asked length, zeroed even when the pool hands back a used array.</summary>
public sealed class TensorBufferTests
{
    [Fact]
    public void Rent_AfterADirtyArrayWasReturned_IsZeroedAndExactlyTheAskedLength()
    {
        const int length = 3 * 112 * 112;
        for (var round = 0; round < 4; round++)
        {
            using (var used = new TensorBuffer(length)) used.Span.Fill(7f);
            using var buffer = new TensorBuffer(length);
            Assert.Equal(length, buffer.Span.Length);
            Assert.Equal(length, buffer.Memory.Length);
            Assert.True(buffer.Span.IndexOfAnyExcept(0f) < 0, "a rented buffer must start zeroed");
        }
    }

    [Fact]
    public void Dispose_Twice_ReturnsOnce_AndUseAfterDisposeThrows()
    {
        var buffer = new TensorBuffer(1000);
        buffer.Dispose();
        buffer.Dispose();
        Assert.Throws<ObjectDisposedException>(() => buffer.Span.Length);
        // The pool still works (a double return would corrupt it: two renters sharing one array).
        var a = ArrayPool<float>.Shared.Rent(1000);
        var b = ArrayPool<float>.Shared.Rent(1000);
        Assert.NotSame(a, b);
        ArrayPool<float>.Shared.Return(a);
        ArrayPool<float>.Shared.Return(b);
    }
}
