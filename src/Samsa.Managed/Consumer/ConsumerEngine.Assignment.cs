namespace Samsa.Consumer;

internal sealed partial class ConsumerEngine
{
    public List<TopicPartition> Assignment => _fetcher.Assignment();

    /// <summary>Replaces the whole assignment; partitions start at the given offsets (Unset/Stored: the committed one).</summary>
    public void Assign(IEnumerable<TopicPartitionOffset> partitions)
    {
        ThrowIfClosed();
        List<TopicPartitionOffset> list = Validate(partitions);
        NoteAssignmentChange();
        _fetcher.Remove(_fetcher.Assignment());
        _fetcher.Add(list);
    }

    /// <summary>Adds partitions to the assignment; a partition already assigned is an error.</summary>
    public void IncrementalAssign(IEnumerable<TopicPartitionOffset> partitions)
    {
        ThrowIfClosed();
        List<TopicPartitionOffset> list = Validate(partitions);
        foreach (TopicPartitionOffset tpo in list)
        {
            if (_fetcher.IsAssigned(tpo.TopicPartition))
            {
                throw new KafkaException(ErrorCode.LocalInvalidArg, $"{tpo.TopicPartition} is already assigned; IncrementalAssign adds new partitions only (use Seek to move it).");
            }
        }

        NoteAssignmentChange();
        _fetcher.Add(list);
    }

    /// <summary>Removes partitions from the assignment; a partition not assigned is an error.</summary>
    public void IncrementalUnassign(IEnumerable<TopicPartition> partitions)
    {
        ThrowIfClosed();
        ArgumentNullException.ThrowIfNull(partitions);
        var list = new List<TopicPartition>(partitions);
        foreach (TopicPartition tp in list)
        {
            if (!_fetcher.IsAssigned(tp))
            {
                throw new KafkaException(ErrorCode.LocalInvalidArg, $"{tp} is not assigned, so it cannot be unassigned.");
            }
        }

        NoteAssignmentChange();
        _fetcher.Remove(list);
    }

    public void Unassign()
    {
        ThrowIfClosed();
        NoteAssignmentChange();
        _fetcher.Remove(_fetcher.Assignment());
    }

    public void Seek(TopicPartitionOffset position)
    {
        ThrowIfClosed();
        ValidateOne(position);
        _fetcher.Seek(position);
    }

    public void Pause(IEnumerable<TopicPartition> partitions)
    {
        ThrowIfClosed();
        ArgumentNullException.ThrowIfNull(partitions);
        _fetcher.SetPaused(partitions, paused: true);
    }

    public void Resume(IEnumerable<TopicPartition> partitions)
    {
        ThrowIfClosed();
        ArgumentNullException.ThrowIfNull(partitions);
        _fetcher.SetPaused(partitions, paused: false);
    }

    /// <summary>The next offset the application will get from a partition; <see cref="Offset.Unset"/> until known.</summary>
    public Offset Position(TopicPartition partition)
    {
        ThrowIfClosed();
        FetchPartition p = Assigned(partition, "read the position of");
        long position = p.Position;
        return position >= 0 ? new Offset(position) : Offset.Unset;
    }

    private FetchPartition Assigned(TopicPartition partition, string what) =>
        _fetcher.Find(partition) ?? throw new KafkaException(ErrorCode.LocalState, $"Cannot {what} {partition}: the partition is not assigned to this consumer.");

    private static List<TopicPartitionOffset> Validate(IEnumerable<TopicPartitionOffset> partitions)
    {
        ArgumentNullException.ThrowIfNull(partitions);
        var list = new List<TopicPartitionOffset>(partitions);
        var seen = new HashSet<TopicPartition>();
        foreach (TopicPartitionOffset tpo in list)
        {
            ValidateOne(tpo);
            if (!seen.Add(tpo.TopicPartition))
            {
                throw new ArgumentException($"{tpo.TopicPartition} appears twice in the assignment.", nameof(partitions));
            }
        }

        return list;
    }

    private static void ValidateOne(TopicPartitionOffset tpo)
    {
        if (string.IsNullOrEmpty(tpo.Topic))
        {
            throw new ArgumentException("A topic name is null or empty.", nameof(tpo));
        }

        if (tpo.Partition < 0)
        {
            throw new ArgumentException($"Partition {tpo.Partition} of topic '{tpo.Topic}' is negative.", nameof(tpo));
        }

        Offset o = tpo.Offset;
        if (o.Value < 0 && o != Offset.Beginning && o != Offset.End && o != Offset.Stored && o != Offset.Unset)
        {
            throw new ArgumentException(
                $"Offset {o.Value} for {tpo.TopicPartition} is not valid: use an offset of 0 or more, Offset.Beginning, Offset.End, Offset.Stored or Offset.Unset.", nameof(tpo));
        }
    }
}
