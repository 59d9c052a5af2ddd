using System.Buffers.Binary;
using System.Collections.Concurrent;
using Samsa.TestSupport;

namespace Samsa.IntegrationTests.Producer;

/// <summary>
/// Records every delivery report of a run and checks the log against them: nothing lost, nothing
/// duplicated, order kept per partition, and every report truthful (delivered = in the log at that offset;
/// failed and not persisted = not in the log).
/// </summary>
internal sealed class ProduceVerification : IDeliveryHandler
{
    private readonly ConcurrentDictionary<int, (int Partition, long Offset)> _delivered = new();
    private readonly ConcurrentDictionary<int, DeliveryEvent> _failed = new();
    private int _reports;

    public int Reports => Volatile.Read(ref _reports);

    public int Delivered => _delivered.Count;

    public IReadOnlyDictionary<int, DeliveryEvent> Failed => _failed;

    /// <summary>Delivered reports the last <see cref="Verify"/> found pointing at a dropped copy of their message.</summary>
    public int ReportsAtDroppedCopies { get; private set; }

    public static byte[] Value(int sequence, int size = 100)
    {
        byte[] value = new byte[size];
        BinaryPrimitives.WriteInt32BigEndian(value, sequence);
        value.AsSpan(4).Fill((byte)sequence);
        return value;
    }

    /// <summary>Produces message <paramref name="sequence"/> reporting to this verification, waiting while the producer's queue is full.</summary>
    public async ValueTask ProduceAsync(Producer<byte[], byte[]> producer, TopicPartition partition, Message<byte[], byte[]> message, int sequence)
    {
        while (true)
        {
            try
            {
                producer.Produce(partition, message, this, sequence);
                return;
            }
            catch (KafkaException ex) when (ex.Error == ErrorCode.LocalQueueFull)
            {
                await Task.Delay(1);
            }
        }
    }

    public void OnDelivery(in DeliveryEvent delivery, object? state)
    {
        int sequence = (int)state!;
        Interlocked.Increment(ref _reports);
        if (delivery.IsError)
        {
            _failed[sequence] = delivery;
        }
        else if (!_delivered.TryAdd(sequence, (delivery.Partition, delivery.Offset)))
        {
            throw new InvalidOperationException($"Message {sequence} was reported twice.");
        }
    }

    /// <summary>Checks the log read back by librdkafka against the reports of <paramref name="count"/> messages.</summary>
    /// <param name="allowRedelivery">
    /// Lets a message appear more than once, as a later copy of itself: the test cluster does not check producer
    /// sequences (it only does with a transactional id), so a batch written just before a broker goes down, whose
    /// response is lost, is written again by the retry. A real broker drops that retry as a duplicate. The
    /// first copies must still be complete and in order, and every delivery report must point at a copy.
    /// </param>
    /// <param name="droppedCopies">
    /// Records of whole-batch copies left out of <paramref name="log"/> because a real broker would have refused them
    /// as duplicates (see Reliability/IdempotentLogCheck). A report may point at such a copy of its own message: the
    /// test cluster wrote the retried batch again and answered with where it wrote it, where a real broker answers a
    /// duplicate with the offset of the first copy. Such reports are counted in <see cref="ReportsAtDroppedCopies"/>.
    /// </param>
    public int Verify(IReadOnlyList<LoggedRecord> log, int count, bool allMustBeDelivered, bool allowRedelivery = false,
        IReadOnlyList<LoggedRecord>? droppedCopies = null)
    {
        var copyAt = new Dictionary<(int Partition, long Offset), int>();
        foreach (LoggedRecord r in droppedCopies ?? [])
        {
            copyAt[(r.Partition, r.Offset)] = BinaryPrimitives.ReadInt32BigEndian(r.Value);
        }

        ReportsAtDroppedCopies = 0;
        int duplicates = 0;
        Assert.Equal(count, Reports);
        if (allMustBeDelivered)
        {
            Assert.True(_failed.IsEmpty, $"{_failed.Count} messages failed, e.g. {_failed.Values.FirstOrDefault().Error}: {_failed.Values.FirstOrDefault().ErrorMessage}");
        }

        var seen = new Dictionary<int, LoggedRecord>(log.Count);
        var copies = new Dictionary<(int Partition, long Offset), int>(log.Count);
        foreach (LoggedRecord r in log.OrderBy(r => r.Partition).ThenBy(r => r.Offset))
        {
            int sequence = BinaryPrimitives.ReadInt32BigEndian(r.Value);
            copies[(r.Partition, r.Offset)] = sequence;
            if (!seen.TryAdd(sequence, r))
            {
                Assert.True(allowRedelivery, $"message {sequence} is in the log twice (partition {r.Partition} offsets {seen[sequence].Offset} and {r.Offset})");
                Assert.Equal(seen[sequence].Partition, r.Partition);
                duplicates++;
            }
        }

        foreach (var (sequence, (partition, offset)) in _delivered)
        {
            Assert.True(seen.TryGetValue(sequence, out LoggedRecord? r), $"message {sequence} was reported delivered but is not in the log");
            if (copyAt.TryGetValue((partition, offset), out int copied) && copied == sequence)
            {
                ReportsAtDroppedCopies++;
                continue;
            }

            Assert.True(copies.TryGetValue((partition, offset), out int there) && there == sequence,
                $"message {sequence} was reported at {partition}/{offset}, where the log holds {(copies.TryGetValue((partition, offset), out int other) ? $"message {other}" : copyAt.TryGetValue((partition, offset), out int otherCopy) ? $"a dropped copy of message {otherCopy}" : "nothing")} (its first copy is at {r!.Partition}/{r.Offset})");
        }

        foreach (var (sequence, report) in _failed)
        {
            if (report.Status == PersistenceStatus.NotPersisted)
            {
                Assert.False(seen.ContainsKey(sequence), $"message {sequence} was reported not persisted ({report.Error}) but is in the log");
            }
        }

        foreach (IGrouping<int, LoggedRecord> partition in log.GroupBy(r => r.Partition))
        {
            int last = -1;
            foreach (LoggedRecord r in partition.OrderBy(r => r.Offset))
            {
                int sequence = BinaryPrimitives.ReadInt32BigEndian(r.Value);
                if (seen[sequence].Offset != r.Offset)
                {
                    continue; // a later copy (allowRedelivery): order is judged on first copies
                }

                Assert.True(sequence > last, $"partition {partition.Key}: message {sequence} at offset {r.Offset} after message {last}");
                last = sequence;
            }
        }

        Assert.Equal(_delivered.Count, seen.Keys.Count(_delivered.ContainsKey));
        return duplicates;
    }
}
