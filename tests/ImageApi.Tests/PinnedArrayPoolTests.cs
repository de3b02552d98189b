using ImageApi.Imaging;

namespace ImageApi.Tests;

/// <summary>The bounded pool behind pixel buffers and model inputs: power-of-two arrays, at most a few of each size kept.</summary>
public sealed class PinnedArrayPoolTests
{
    [Theory]
    [InlineData(1, 16)]
    [InlineData(17, 32)]
    [InlineData(3 * 112 * 112, 65_536)]
    [InlineData(1 << 20, 1 << 20)]
    public void Rent_GivesThePowerOfTwoAtOrAboveTheAskedLength(int asked, int expected)
    {
        var pool = new PinnedArrayPool<float>(1 << 20, 2);
        Assert.Equal(expected, pool.Rent(asked).Length);
    }

    [Fact]
    public void Rent_LongerThanTheLargestSize_IsAPlainArrayOfTheAskedLength_AndIsNotKept()
    {
        var pool = new PinnedArrayPool<byte>(1 << 16, 2);
        var large = pool.Rent((1 << 16) + 1);
        Assert.Equal((1 << 16) + 1, large.Length);
        pool.Return(large);
        Assert.NotSame(large, pool.Rent((1 << 16) + 1));
    }

    [Fact]
    public void Return_KeepsAtMostArraysPerSize_AndHandsTheKeptOnesOutAgain()
    {
        var pool = new PinnedArrayPool<byte>(1 << 20, 2);
        var rented = Enumerable.Range(0, 3).Select(_ => pool.Rent(200_000)).ToArray();
        Assert.Equal(3, rented.Distinct().Count());
        foreach (var array in rented) pool.Return(array);

        var again = Enumerable.Range(0, 3).Select(_ => pool.Rent(200_000)).ToArray();
        // Two came back from the pool (the last two returned, newest first); the third is new.
        Assert.Same(rented[1], again[0]);
        Assert.Same(rented[0], again[1]);
        Assert.DoesNotContain(rented, array => ReferenceEquals(array, again[2]));
    }

    [Fact]
    public void Return_OfAnArrayThePoolCannotHaveMade_IsDropped()
    {
        var pool = new PinnedArrayPool<float>(1 << 20, 4);
        var odd = new float[1000];
        pool.Return(odd);
        Assert.NotSame(odd, pool.Rent(1000));
        Assert.Equal(1024, pool.Rent(1000).Length);
    }

    [Fact]
    public void Return_WithClear_ZeroesTheArrayBeforeItIsRentedAgain()
    {
        var pool = new PinnedArrayPool<float>(1 << 20, 1);
        var array = pool.Rent(4096);
        array.AsSpan().Fill(5f);
        pool.Return(array, clearArray: true);
        var again = pool.Rent(4096);
        Assert.Same(array, again);
        Assert.True(again.AsSpan().IndexOfAnyExcept(0f) < 0);
    }
}
