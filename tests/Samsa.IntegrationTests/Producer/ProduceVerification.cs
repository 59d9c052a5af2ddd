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

    public static byte[] Value(int sequence, int size = 100)
    {
        byte[] value = new byte[size];
        BinaryPrimitives.WriteInt32BigEndian(value, sequence);
        value.AsSpan(4).Fill((byte)sequence);
        return value;
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
    public void Verify(IReadOnlyList<LoggedRecord> log, int count, bool allMustBeDelivered)
    {
        Assert.Equal(count, Reports);
        if (allMustBeDelivered)
        {
            Assert.True(_failed.IsEmpty, $"{_failed.Count} messages failed, e.g. {_failed.Values.FirstOrDefault().Error}: {_failed.Values.FirstOrDefault().ErrorMessage}");
        }

        var seen = new Dictionary<int, LoggedRecord>(log.Count);
        foreach (LoggedRecord r in log)
        {
            int sequence = BinaryPrimitives.ReadInt32BigEndian(r.Value);
            Assert.True(seen.TryAdd(sequence, r), $"message {sequence} is in the log twice (partition {r.Partition} offsets {seen.GetValueOrDefault(sequence)?.Offset} and {r.Offset})");
        }

        foreach (var (sequence, (partition, offset)) in _delivered)
        {
            Assert.True(seen.TryGetValue(sequence, out LoggedRecord? r), $"message {sequence} was reported delivered but is not in the log");
            Assert.Equal((partition, offset), (r!.Partition, r.Offset));
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
                Assert.True(sequence > last, $"partition {partition.Key}: message {sequence} at offset {r.Offset} after message {last}");
                last = sequence;
            }
        }

        Assert.Equal(_delivered.Count, seen.Keys.Count(_delivered.ContainsKey));
    }
}
