using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;

namespace Samsa.Producer;

/// <summary>
/// The producer's state for one partition: the open batch taking appends, the closed batches waiting in
/// order, what is in flight, and the idempotent sequence. Guarded by <see cref="Lock"/>.
/// </summary>
internal sealed class PartitionState(string topic, int partition)
{
    public readonly Lock Lock = new();

    public string Topic { get; } = topic;

    public int Partition { get; } = partition;

    public TopicPartition TopicPartition => new(Topic, Partition);

    /// <summary>The batch taking appends, or null.</summary>
    public ProducerBatch? Open;

    /// <summary>Closed batches in send order; retries go back to the front.</summary>
    public readonly LinkedList<ProducerBatch> Ready = new();

    /// <summary>Batches sent and not yet answered, in sequence order.</summary>
    public readonly List<ProducerBatch> InFlight = [];

    /// <summary>The broker the in-flight batches went to; new batches go elsewhere only once they are all back.</summary>
    public int InFlightBroker = -1;

    /// <summary>
    /// The connection the in-flight batches went out on. New batches follow them only on the same connection: after
    /// a reconnect, the old connection's failures may still be on their way, and a later batch sent on the new
    /// connection could otherwise be written before the earlier one is retried.
    /// </summary>
    public Network.KafkaConnection? InFlightConnection;

    /// <summary>Batches that failed retriably while others were still in flight; resent in order once those settle.</summary>
    public readonly List<ProducerBatch> Retrying = [];

    /// <summary>Next sequence number to give a batch (idempotence), for <see cref="SequenceEpoch"/>.</summary>
    public int NextSequence;

    /// <summary>The producer epoch <see cref="NextSequence"/> counts in.</summary>
    public short SequenceEpoch = -1;

    /// <summary>True while a retriable failure waits for the rest of the in-flight batches to settle.</summary>
    public bool Draining;

    /// <summary>True when any batch waits (open or ready).</summary>
    public bool HasQueued => Open is not null || Ready.Count > 0;

    /// <summary>Closes the open batch, if any: it queues behind the ready ones. The caller holds <see cref="Lock"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void CloseOpen()
    {
        if (Open is { } open)
        {
            Ready.AddLast(open);
            Open = null;
        }
    }

    /// <summary>Takes the first ready batch off the queue. The caller holds <see cref="Lock"/>.</summary>
    public bool TryTakeReady([NotNullWhen(true)] out ProducerBatch? batch)
    {
        if (Ready.First is { } node)
        {
            Ready.RemoveFirst();
            batch = node.Value;
            return true;
        }

        batch = null;
        return false;
    }

    public override string ToString() => $"{Topic} [{Partition}]";
}
