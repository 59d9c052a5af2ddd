using System.Buffers;
using System.Runtime.InteropServices;
using Samsa.Buffers;
using Samsa.Network;
using Xunit;

namespace Samsa.Tests.Buffers;

public sealed class NativeBufferTests
{
    [Fact]
    public void Large_frames_live_in_native_memory_and_small_ones_in_arrays()
    {
        using var large = ResponseFrame.Allocate(ResponseFrame.NativeThreshold);
        using var small = ResponseFrame.Allocate(ResponseFrame.NativeThreshold - 1);

        Assert.True(MemoryMarshal.TryGetMemoryManager(large.Memory, out NativeBuffer? _));
        Assert.Equal(ResponseFrame.NativeThreshold, large.Memory.Length);
        Assert.True(MemoryMarshal.TryGetArray(small.Memory, out ArraySegment<byte> segment));
        Assert.Equal(ResponseFrame.NativeThreshold - 1, segment.Count);
    }

    [Fact]
    public void A_native_frame_holds_what_is_written_into_it()
    {
        using var frame = ResponseFrame.Allocate(300_000);
        Span<byte> bytes = frame.Writable.Span;
        for (int i = 0; i < bytes.Length; i++)
        {
            bytes[i] = (byte)(i * 7);
        }

        ReadOnlySpan<byte> read = frame.Memory.Span;
        Assert.Equal(300_000, read.Length);
        Assert.Equal(unchecked((byte)(299_999 * 7)), read[299_999]);
        Assert.Equal(unchecked((byte)(1234 * 7)), read[1234]);
    }

    [Fact]
    public void A_disposed_native_frame_refuses_access_instead_of_reading_freed_memory()
    {
        var frame = ResponseFrame.Allocate(200_000);
        ReadOnlyMemory<byte> memory = frame.Memory;
        frame.Dispose();
        frame.Dispose(); // twice is harmless

        Assert.Throws<ObjectDisposedException>(() => memory.Span.Length);
        Assert.Throws<ObjectDisposedException>(() => frame.Memory);
        Assert.Throws<ObjectDisposedException>(() => { using MemoryHandle pin = memory.Pin(); });
    }

    [Fact]
    public void The_cache_keeps_what_its_limit_allows_and_gives_the_rest_back()
    {
        Assert.False(NativeFramePool.TryKeep(0, (int)NativeFramePool.RetainLimit + 1, mapped: false, allocatedBytes: 0));
        var buffers = new List<NativeBuffer>();
        for (int i = 0; i < NativeFramePool.MaxRetainedBlocks + 4; i++)
        {
            buffers.Add(NativeBuffer.Allocate(256 * 1024));
        }

        foreach (NativeBuffer b in buffers)
        {
            ((IDisposable)b).Dispose();
        }

        Assert.InRange(NativeFramePool.RetainedBytes, 0, NativeFramePool.RetainLimit);
    }

    [Fact]
    public void A_frame_larger_than_every_cached_block_gives_the_cached_blocks_back()
    {
        // Blocks too small for the frames now coming would stay resident unused: a miss empties the cache.
        NativeBuffer small = NativeBuffer.Allocate(192 * 1024);
        nint address = small.Address;
        ((IDisposable)small).Dispose();
        bool kept = NativeFramePool.Holds(address); // false only when other tests filled the cache meanwhile
        NativeBuffer large = NativeBuffer.Allocate((int)NativeFramePool.MinRetainedBytes);
        try
        {
            Assert.False(kept && NativeFramePool.Holds(address), "the small cached block should have been freed");
        }
        finally
        {
            ((IDisposable)large).Dispose();
        }
    }
}
