using Samsa.TestSupport;

namespace Samsa.IntegrationTests.Reliability;

/// <summary>What <see cref="IdempotentLogCheck.Apply"/> found in a log.</summary>
/// <param name="Kept">The records a real broker would hold: every batch but the rejected copies, in offset order per partition.</param>
/// <param name="Copies">The records of the whole batches dropped as copies of a batch already in the partition's log.</param>
/// <param name="CopiesDropped">How many batches those were.</param>
/// <param name="Identities">Distinct (producer id, epoch) pairs in the log; more than one means epoch bumps or new ids.</param>
internal sealed record IdempotentLogResult(List<LoggedRecord> Kept, List<LoggedRecord> Copies, int CopiesDropped, int Identities);

/// <summary>
/// Applies Kafka's idempotent-producer rules to a log written by a broker that checks no sequences (the test
/// cluster without a transactional id writes whatever arrives). Batch by batch, per partition, in offset order, as
/// a real broker's producer state would have judged them on append:
/// <list type="bullet">
/// <item>a batch whose (producer id, epoch, base sequence) equals one of the last five batches that producer
/// appended to the partition is a copy: a real broker answers DUPLICATE_SEQUENCE_NUMBER and does not write it. It
/// must hold exactly the same records as the first one, else the sequence was reused for other data;</item>
/// <item>any other batch must continue its producer's sequence with no gap (the first batch of an id or epoch
/// starts at 0), and never carry an epoch older than one already in the partition: otherwise a real broker
/// refuses it (OUT_OF_ORDER_SEQUENCE_NUMBER, INVALID_PRODUCER_EPOCH) and the client must not have reported it
/// delivered.</item>
/// </list>
/// Anything else fails with a description naming the partition, offsets and sequences. What remains is the log a
/// real broker would hold, to be checked message by message (<see cref="Producer.ProduceVerification"/>).
/// </summary>
internal static class IdempotentLogCheck
{
    /// <summary>How many appended batches a Kafka broker remembers per producer to detect duplicates.</summary>
    private const int DuplicateWindow = 5;

    public static IdempotentLogResult Apply(IReadOnlyList<LoggedBatch> batches)
    {
        var kept = new List<LoggedRecord>(batches.Sum(b => b.RecordCount));
        var identities = new HashSet<(long, short)>();
        var copied = new List<LoggedRecord>();
        int copies = 0;
        foreach (IGrouping<int, LoggedBatch> partition in batches.GroupBy(b => b.Partition))
        {
            var producers = new Dictionary<long, ProducerState>();
            List<LoggedBatch> ordered = [.. partition.OrderBy(b => b.BaseOffset)];
            for (int index = 0; index < ordered.Count; index++)
            {
                LoggedBatch b = ordered[index];
                if (b.ProducerId < 0 || b.BaseSequence < 0)
                {
                    Assert.Fail($"{b} was written without a producer id or sequence: the producer is idempotent.");
                }

                identities.Add((b.ProducerId, b.ProducerEpoch));
                if (!producers.TryGetValue(b.ProducerId, out ProducerState? state) || b.ProducerEpoch > state.Epoch)
                {
                    Assert.True(b.BaseSequence == 0,
                        $"{b} is the first batch of producer {b.ProducerId} epoch {b.ProducerEpoch} in partition {b.Partition} but does not start at sequence 0 " +
                        $"(a real broker refuses it: OUT_OF_ORDER_SEQUENCE_NUMBER); the batches before it were lost or renumbered. Around it: {Around(ordered, index)}");
                    producers[b.ProducerId] = state = new ProducerState(b.ProducerEpoch);
                }
                else if (b.ProducerEpoch < state.Epoch)
                {
                    Assert.Fail($"{b} carries epoch {b.ProducerEpoch} after epoch {state.Epoch} of the same producer was already written " +
                        "(a real broker fences it: INVALID_PRODUCER_EPOCH).");
                }
                else if (state.FindInWindow(b.BaseSequence) is { } first)
                {
                    AssertSameRecords(first, b);
                    copies++;
                    copied.AddRange(b.Records);
                    continue;
                }
                else if (b.BaseSequence != state.NextSequence)
                {
                    string what = state.Appended.Any(a => a.BaseSequence == b.BaseSequence)
                        ? $"repeats the sequence of {state.Appended.First(a => a.BaseSequence == b.BaseSequence)}, more than {DuplicateWindow} batches back (a real broker no longer recognises it as a duplicate and refuses it: OUT_OF_ORDER_SEQUENCE_NUMBER)"
                        : $"does not continue the sequence: expected {state.NextSequence} after {state.Appended[^1]} ({(b.BaseSequence > state.NextSequence ? "a gap" : "a reuse")}; a real broker refuses it: OUT_OF_ORDER_SEQUENCE_NUMBER)";
                    Assert.Fail($"{b} {what}. Around it: {Around(ordered, index)}");
                }

                state.Append(b);
                kept.AddRange(b.Records);
            }
        }

        return new IdempotentLogResult(kept, copied, copies, identities.Count);
    }

    /// <summary>The batches next to <paramref name="index"/>, with the messages (first 4 value bytes) they hold, for failure messages.</summary>
    private static string Around(List<LoggedBatch> ordered, int index)
    {
        var sb = new System.Text.StringBuilder();
        for (int i = Math.Max(0, index - 4); i < Math.Min(ordered.Count, index + 4); i++)
        {
            LoggedBatch b = ordered[i];
            sb.Append(Environment.NewLine).Append(i == index ? "  > " : "    ").Append(b).Append(" messages ")
                .Append(string.Join(",", b.Records.Select(r => r.Value is { Length: >= 4 } v ? System.Buffers.Binary.BinaryPrimitives.ReadInt32BigEndian(v).ToString(System.Globalization.CultureInfo.InvariantCulture) : "?")));
        }

        return sb.ToString();
    }

    private static void AssertSameRecords(LoggedBatch first, LoggedBatch copy)
    {
        bool same = first.RecordCount == copy.RecordCount;
        for (int i = 0; same && i < first.RecordCount; i++)
        {
            same = (first.Records[i].Value ?? []).AsSpan().SequenceEqual(copy.Records[i].Value ?? [])
                && (first.Records[i].Key ?? []).AsSpan().SequenceEqual(copy.Records[i].Key ?? []);
        }

        Assert.True(same, $"{copy} has the producer id, epoch and sequence of {first} but other records: a sequence was reused for other messages.");
    }

    /// <summary>One producer's state in one partition, as a broker keeps it.</summary>
    private sealed class ProducerState(short epoch)
    {
        public short Epoch { get; } = epoch;

        public int NextSequence { get; private set; }

        /// <summary>Every batch appended under <see cref="Epoch"/>, oldest first (only the last five count as duplicates).</summary>
        public List<LoggedBatch> Appended { get; } = [];

        public LoggedBatch? FindInWindow(int baseSequence)
        {
            for (int i = Math.Max(0, Appended.Count - DuplicateWindow); i < Appended.Count; i++)
            {
                if (Appended[i].BaseSequence == baseSequence)
                {
                    return Appended[i];
                }
            }

            return null;
        }

        public void Append(LoggedBatch batch)
        {
            Appended.Add(batch);
            NextSequence = batch.BaseSequence > int.MaxValue - batch.RecordCount
                ? batch.RecordCount - (int.MaxValue - batch.BaseSequence) - 1
                : batch.BaseSequence + batch.RecordCount;
        }
    }
}
