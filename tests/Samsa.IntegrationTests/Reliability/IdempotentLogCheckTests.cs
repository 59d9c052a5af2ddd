using Samsa.IntegrationTests.Producer;
using Samsa.TestSupport;
using Xunit.Sdk;

namespace Samsa.IntegrationTests.Reliability;

/// <summary>The judge of the all-faults test on hand-made logs: it drops only what a real broker refuses as a duplicate.</summary>
public sealed class IdempotentLogCheckTests
{
    private const long Pid = 42;

    /// <summary>A batch in partition 0 at <paramref name="offset"/> holding messages <paramref name="first"/>.. (count of them).</summary>
    private static LoggedBatch Batch(long offset, int sequence, int first, int count, short epoch = 0, long pid = Pid) =>
        new(0, offset, pid, epoch, sequence,
            [.. Enumerable.Range(0, count).Select(i => new LoggedRecord(0, offset + i, null, ProduceVerification.Value(first + i, 8), 0))]);

    [Fact]
    public void A_whole_batch_copy_of_a_recent_batch_is_dropped_and_the_rest_kept()
    {
        IdempotentLogResult r = IdempotentLogCheck.Apply([Batch(0, 0, 0, 3), Batch(3, 3, 3, 2), Batch(5, 0, 0, 3), Batch(8, 3, 3, 2), Batch(10, 5, 5, 1)]);
        Assert.Equal([0L, 1, 2, 3, 4, 10], r.Kept.Select(k => k.Offset));
        Assert.Equal(2, r.CopiesDropped);
        Assert.Equal([5L, 6, 7, 8, 9], r.Copies.Select(c => c.Offset));
    }

    [Fact]
    public void A_gap_in_the_sequence_fails()
    {
        var ex = Assert.Throws<FailException>(() => IdempotentLogCheck.Apply([Batch(0, 0, 0, 3), Batch(3, 5, 5, 1)]));
        Assert.Contains("a gap", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_sequence_reused_for_other_messages_fails()
    {
        var ex = Assert.Throws<TrueException>(() => IdempotentLogCheck.Apply([Batch(0, 0, 0, 3), Batch(3, 0, 7, 3)]));
        Assert.Contains("other records", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_copy_older_than_the_brokers_five_batch_window_fails()
    {
        var log = Enumerable.Range(0, 6).Select(i => Batch(i, i, i, 1)).Append(Batch(6, 0, 0, 1)).ToList();
        var ex = Assert.Throws<FailException>(() => IdempotentLogCheck.Apply(log));
        Assert.Contains("more than 5 batches back", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_new_epoch_must_start_at_sequence_zero_and_an_older_epoch_is_fenced()
    {
        Assert.Equal(2, IdempotentLogCheck.Apply([Batch(0, 0, 0, 1), Batch(1, 0, 1, 1, epoch: 1)]).Identities);
        Assert.Throws<TrueException>(() => IdempotentLogCheck.Apply([Batch(0, 0, 0, 1), Batch(1, 1, 1, 1, epoch: 1)]));
        var ex = Assert.Throws<FailException>(() => IdempotentLogCheck.Apply([Batch(0, 0, 0, 1), Batch(1, 0, 1, 1, epoch: 1), Batch(2, 1, 2, 1, epoch: 0)]));
        Assert.Contains("INVALID_PRODUCER_EPOCH", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_copy_from_another_producer_id_is_not_a_duplicate_and_fails_the_message_check()
    {
        // A renumbered retry under a new producer id is accepted by a broker, so the message is in the log twice.
        IdempotentLogResult r = IdempotentLogCheck.Apply([Batch(0, 0, 0, 2), Batch(2, 0, 0, 2, pid: 43)]);
        Assert.Equal(4, r.Kept.Count);
    }
}
