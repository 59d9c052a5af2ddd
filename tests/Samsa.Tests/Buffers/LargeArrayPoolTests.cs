using System.Buffers;
using Samsa.Buffers;
using Xunit;

namespace Samsa.Tests.Buffers;

public sealed class LargeArrayPoolTests
{
    [Fact]
    public void Small_requests_come_from_the_shared_pool()
    {
        var pool = new LargeArrayPool();
        byte[] array = pool.Rent(1000);
        Assert.True(array.Length >= 1000);
        Assert.True(array.Length < LargeArrayPool.Threshold);
        pool.Return(array);
        Assert.Equal(0, pool.RetainedBytes);
    }

    [Fact]
    public void Large_arrays_are_rounded_to_64_KiB_not_to_a_power_of_two()
    {
        var pool = new LargeArrayPool();
        byte[] array = pool.Rent(LargeArrayPool.Threshold + 1);
        Assert.Equal(LargeArrayPool.Threshold + (64 * 1024), array.Length);
    }

    [Fact]
    public void New_arrays_are_as_large_as_the_largest_request_up_to_twice_the_size_asked()
    {
        var pool = new LargeArrayPool();
        Assert.Equal(640 * 1024, pool.Rent(640 * 1024).Length);

        // Smaller frames that follow get arrays that can serve the largest one again.
        Assert.Equal(640 * 1024, pool.Rent(400 * 1024).Length);

        // Far smaller ones do not.
        Assert.Equal(256 * 1024, pool.Rent(256 * 1024).Length);
    }

    [Fact]
    public void A_returned_array_is_reused_for_a_request_it_holds()
    {
        var pool = new LargeArrayPool();
        byte[] first = pool.Rent(512 * 1024);
        pool.Return(first);
        Assert.Equal(first.Length, pool.RetainedBytes);
        Assert.Same(first, pool.Rent(300 * 1024));
        Assert.Equal(0, pool.RetainedBytes);
    }

    [Fact]
    public void Retention_is_bounded_in_count_and_bytes()
    {
        var pool = new LargeArrayPool();
        var arrays = new List<byte[]>();
        for (int i = 0; i < 10; i++)
        {
            arrays.Add(pool.Rent(1024 * 1024));
        }

        foreach (byte[] array in arrays)
        {
            pool.Return(array);
        }

        Assert.Equal(LargeArrayPool.MaxRetainedBytes, pool.RetainedBytes);

        // Each retained array is handed out once; then new ones are made.
        var distinct = new HashSet<byte[]>(ReferenceEqualityComparer.Instance);
        for (int i = 0; i < 10; i++)
        {
            distinct.Add(pool.Rent(1024 * 1024));
        }

        Assert.Equal(10, distinct.Count);
        Assert.Equal(4, distinct.Count(arrays.Contains));
    }

    [Fact]
    public void Arrays_above_the_byte_cap_are_never_kept()
    {
        var pool = new LargeArrayPool();
        byte[] huge = pool.Rent((int)LargeArrayPool.MaxRetainedBytes + 1);
        pool.Return(huge);
        Assert.Equal(0, pool.RetainedBytes);
    }

    [Fact]
    public void A_larger_array_replaces_the_smallest_when_the_byte_cap_is_reached()
    {
        var pool = new LargeArrayPool();
        byte[] small = pool.Rent(LargeArrayPool.Threshold);
        byte[] big = pool.Rent(2 * 1024 * 1024);
        byte[] second = pool.Rent(31 * 64 * 1024);
        pool.Return(small);
        pool.Return(big);

        // small + big + second exceed the cap; big + second do not.
        pool.Return(second);
        Assert.Equal(big.Length + second.Length, pool.RetainedBytes);
        Assert.NotSame(small, pool.Rent(LargeArrayPool.Threshold));
    }

    [Fact]
    public void Arrays_from_the_shared_pool_may_be_returned_here()
    {
        var pool = new LargeArrayPool();
        byte[] shared = ArrayPool<byte>.Shared.Rent(LargeArrayPool.Threshold);
        pool.Return(shared);
        Assert.Equal(shared.Length, pool.RetainedBytes);
    }
}
