using Samsa.Buffers;
using Samsa.Tests.Consumer;
using Xunit;

namespace Samsa.Tests.Buffers;

/// <summary>
/// The process-wide cache of freed frame blocks: as large as the live consumers' prefetch budgets, emptied of what a
/// closed consumer's budget allowed and of blocks left unused. Alone in their collection: other tests' consumers
/// would change the limit under them.
/// </summary>
[Collection(FrameCacheCollection.Name)]
public sealed class NativeFramePoolTests
{
    private const int Large = 8 * 1024 * 1024;
    private const long Budget = 64L * 1024 * 1024;

    [Fact]
    public void Without_a_consumer_a_frame_above_the_floor_is_given_back()
    {
        Assert.Equal(NativeFramePool.MinRetainedBytes, NativeFramePool.RetainLimit);
        nint address = AllocateAndFree(Large);
        Assert.False(NativeFramePool.Holds(address));
    }

    [Fact]
    public void A_consumer_budget_lets_the_cache_keep_its_large_frames_until_the_consumer_goes()
    {
        NativeFramePool.AddDemand(Budget);
        nint address;
        try
        {
            Assert.Equal(Budget, NativeFramePool.RetainLimit);
            address = AllocateAndFree(Large);
            Assert.True(NativeFramePool.Holds(address), "a freed frame within the budget should stay cached for the next fetch");

            NativeBuffer again = NativeBuffer.Allocate(Large - 4096);
            Assert.Equal(address, again.Address); // the next frame reuses it
            ((IDisposable)again).Dispose();
        }
        finally
        {
            NativeFramePool.AddDemand(-Budget);
        }

        NativeBuffer.TrimCache();
        Assert.False(NativeFramePool.Holds(address), "above the floor once the consumer is gone: given back");
        Assert.InRange(NativeFramePool.RetainedBytes, 0, NativeFramePool.MinRetainedBytes);
    }

    [Fact]
    public void Live_frames_leave_no_room_for_caching_beyond_the_budget()
    {
        const long budget = 16L * 1024 * 1024;
        NativeFramePool.AddDemand(budget);
        try
        {
            NativeBuffer first = NativeBuffer.Allocate(Large);
            NativeBuffer second = NativeBuffer.Allocate(Large);
            nint small = AllocateAndFree(1024 * 1024); // 8 + 8 + 1 MiB live: over the 16 MiB budget
            Assert.False(NativeFramePool.Holds(small), "live frames already fill the budget: a freed block is given back");

            nint address = first.Address;
            ((IDisposable)first).Dispose(); // 16 MiB allocated with it: within the budget
            Assert.True(NativeFramePool.Holds(address));
            ((IDisposable)second).Dispose();
        }
        finally
        {
            NativeFramePool.AddDemand(-budget);
            NativeBuffer.TrimCache();
        }
    }

    [Fact]
    public void A_block_left_unused_is_given_back_after_the_idle_time()
    {
        nint address = AllocateAndFree(256 * 1024);
        Assert.True(NativeFramePool.Holds(address));

        NativeBuffer.TrimCache(Environment.TickCount64 + NativeFramePool.IdleMilliseconds / 2);
        Assert.True(NativeFramePool.Holds(address), "not idle long enough yet");

        NativeBuffer.TrimCache(Environment.TickCount64 + NativeFramePool.IdleMilliseconds);
        Assert.False(NativeFramePool.Holds(address));
        Assert.Equal(0, NativeFramePool.RetainedBytes);
    }

    [Fact]
    public async Task A_consumer_adds_its_budget_to_the_limit_while_it_lives()
    {
        await using var kafka = new FakeKafka();
        ConsumerConfig config = ConsumerTestKit.Config(kafka) with { QueuedMaxMessagesKbytes = 32 * 1024 };
        using (Consumer<string, string> consumer = ConsumerTestKit.Create(config))
        {
            Assert.Equal(32L * 1024 * 1024, NativeFramePool.RetainLimit);
        }

        Assert.Equal(NativeFramePool.MinRetainedBytes, NativeFramePool.RetainLimit);
    }

    private static nint AllocateAndFree(int length)
    {
        NativeBuffer buffer = NativeBuffer.Allocate(length);
        nint address = buffer.Address;
        ((IDisposable)buffer).Dispose();
        return address;
    }
}

/// <summary>Tests of the process-wide frame cache run alone.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class FrameCacheCollection
{
    public const string Name = "Process-wide frame cache";
}
