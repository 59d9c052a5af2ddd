using System.Text;
using Samsa.Producer;
using Samsa.Protocol.Records;

namespace Samsa.Tests.Producer;

/// <summary>
/// The queue that holds messages produced before their topic's metadata: order, bytes, nulls and headers come
/// back exactly as given, across segment and chunk boundaries, and the caller's buffers are not kept.
/// </summary>
public sealed class PendingQueueTests
{
    [Fact]
    public void Messages_come_back_in_order_with_their_bytes_across_many_segments()
    {
        var queue = new PendingQueue();
        var state = new object();
        const int count = 5000; // several segments of entries
        for (int i = 0; i < count; i++)
        {
            byte[] key = Encoding.UTF8.GetBytes("k" + i);
            byte[] value = Encoding.UTF8.GetBytes("value-" + i);
            queue.Enqueue(i % 7 - 1, key, false, value, false, [], 1000 + i, state, i, 50 + i, 24 + i);
            Array.Clear(key); // the queue must hold its own copy
            Array.Clear(value);
        }

        Assert.Equal(count, queue.Count);
        for (int i = 0; i < count; i++)
        {
            Assert.True(queue.TryPeek(out PendingRecord r));
            Assert.Equal(i % 7 - 1, r.Partition);
            Assert.Equal("k" + i, Encoding.UTF8.GetString(r.Key));
            Assert.False(r.KeyIsNull);
            Assert.Equal("value-" + i, Encoding.UTF8.GetString(r.Value));
            Assert.False(r.ValueIsNull);
            Assert.Equal(1000 + i, r.Timestamp);
            Assert.Same(state, r.Callback);
            Assert.Equal(i, r.State);
            Assert.Equal(50 + i, r.EnqueuedAt);
            Assert.Equal(24 + i, r.AccountedBytes);
            Assert.True(r.Headers.IsEmpty);
            queue.Dequeue();
        }

        Assert.Equal(0, queue.Count);
        Assert.False(queue.TryPeek(out _));
    }

    [Fact]
    public void Null_and_empty_keys_and_values_stay_distinct()
    {
        var queue = new PendingQueue();
        queue.Enqueue(-1, default, true, default, true, [], 1, null, null, 0, 24);
        queue.Enqueue(-1, [], false, [], false, [], 2, null, null, 0, 24);

        Assert.True(queue.TryPeek(out PendingRecord nulls));
        Assert.True(nulls.KeyIsNull);
        Assert.True(nulls.ValueIsNull);
        queue.Dequeue();

        Assert.True(queue.TryPeek(out PendingRecord empties));
        Assert.False(empties.KeyIsNull);
        Assert.False(empties.ValueIsNull);
        Assert.Equal(0, empties.Key.Length);
        Assert.Equal(0, empties.Value.Length);
        queue.Dequeue();
        Assert.Equal(0, queue.Count);
    }

    [Fact]
    public void A_message_larger_than_a_chunk_and_headers_are_kept_whole()
    {
        var queue = new PendingQueue();
        byte[] big = new byte[300 * 1024];
        Random.Shared.NextBytes(big);
        byte[] headerValue = [1, 2, 3];
        queue.Enqueue(3, [9], false, [7], false, [], 1, null, null, 0, 24);
        queue.Enqueue(4, default, true, big, false, [new RecordHeader("h", headerValue)], 2, null, null, 0, 24);
        headerValue[0] = 42; // the queue deep-copies headers

        queue.Dequeue();
        Assert.True(queue.TryPeek(out PendingRecord r));
        Assert.Equal(4, r.Partition);
        Assert.True(r.Value.SequenceEqual(big));
        Assert.Equal(1, r.Headers.Length);
        Assert.Equal("h", r.Headers[0].Key);
        Assert.Equal(new byte[] { 1, 2, 3 }, r.Headers[0].Value.ToArray());
    }

    [Fact]
    public void Failing_the_oldest_returns_what_its_report_needs_and_keeps_the_rest()
    {
        var queue = new PendingQueue();
        var callback = new object();
        queue.Enqueue(5, [1], false, [2], false, [], 77, callback, "s", 0, 30);
        queue.Enqueue(6, [3], false, [4], false, [], 78, null, null, 0, 31);

        PendingMessage failed = queue.DequeueForFailure();
        Assert.Equal(5, failed.Partition);
        Assert.Equal(77, failed.Timestamp);
        Assert.Same(callback, failed.Callback);
        Assert.Equal("s", failed.State);
        Assert.Equal(30, failed.AccountedBytes);

        Assert.Equal(1, queue.Count);
        Assert.True(queue.TryPeek(out PendingRecord next));
        Assert.Equal(6, next.Partition);
        Assert.Equal(new byte[] { 4 }, next.Value.ToArray());
    }

    [Fact]
    public void Interleaved_enqueues_and_dequeues_keep_order_after_the_queue_empties()
    {
        var queue = new PendingQueue();
        int next = 0, expected = 0;
        for (int round = 0; round < 5; round++)
        {
            for (int i = 0; i < 1500; i++)
            {
                queue.Enqueue(-1, default, true, BitConverter.GetBytes(next++), false, [], 0, null, null, 0, 24);
            }

            int take = round == 4 ? queue.Count : 1100;
            for (int i = 0; i < take; i++)
            {
                Assert.True(queue.TryPeek(out PendingRecord r));
                Assert.Equal(expected++, BitConverter.ToInt32(r.Value));
                queue.Dequeue();
            }
        }

        Assert.Equal(next, expected);
        Assert.Equal(0, queue.Count);
    }
}
