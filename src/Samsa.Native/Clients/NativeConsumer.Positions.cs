using Samsa.Native.Abi;
using Samsa.Native.Interop;

namespace Samsa.Native.Clients;

/// <summary>Positions: seek, pause/resume, position, committed, unsubscribe.</summary>
internal sealed unsafe partial class NativeConsumer
{
    public int Unsubscribe()
    {
        lock (_gate)
        {
            if (IsClosed(out int closed))
            {
                return closed;
            }

            int previous = Enter();
            try
            {
                _consumer.Unsubscribe(); // the revoke callback runs here, on this thread
            }
            finally
            {
                Leave(previous);
            }

            Errors.Clear();
            return Errors.Ok;
        }
    }

    public int Seek(byte* topic, int partition, long offset)
    {
        if (topic is null)
        {
            return Errors.Invalid("topic is NULL");
        }

        string name = Utf8.Decode(topic, "topic name");
        lock (_gate)
        {
            if (IsClosed(out int closed))
            {
                return closed;
            }

            _consumer.Seek(new TopicPartitionOffset(name, partition, new Offset(offset)));
            Errors.Clear();
            return Errors.Ok;
        }
    }

    public int SetPaused(SamsaTopicPartition* partitions, nuint count, bool paused)
    {
        if (!TryRead(partitions, count, out List<TopicPartition>? list, out int invalid))
        {
            return invalid;
        }

        lock (_gate)
        {
            if (IsClosed(out int closed))
            {
                return closed;
            }

            if (paused)
            {
                _consumer.Pause(list);
            }
            else
            {
                _consumer.Resume(list);
            }

            Errors.Clear();
            return Errors.Ok;
        }
    }

    /// <summary>Fills each partition's offset with its position (per-partition errors in err).</summary>
    public int Position(SamsaTopicPartition* partitions, nuint count)
    {
        if (!TryRead(partitions, count, out List<TopicPartition>? list, out int invalid))
        {
            return invalid;
        }

        lock (_gate)
        {
            if (IsClosed(out int closed))
            {
                return closed;
            }

            for (int i = 0; i < list.Count; i++)
            {
                try
                {
                    partitions[i].Offset = _consumer.Position(list[i]).Value;
                    partitions[i].Err = Errors.Ok;
                }
                catch (KafkaException e)
                {
                    partitions[i].Offset = Constants.SAMSA_OFFSET_INVALID;
                    partitions[i].Err = (int)e.Error;
                }
            }

            Errors.Clear();
            return Errors.Ok;
        }
    }

    /// <summary>Fills each partition's offset with the group's committed offset (SAMSA_OFFSET_INVALID when none).</summary>
    public int Committed(SamsaTopicPartition* partitions, nuint count, int timeoutMs)
    {
        if (!TryRead(partitions, count, out List<TopicPartition>? list, out int invalid))
        {
            return invalid;
        }

        List<TopicPartitionOffset> committed;
        lock (_gate)
        {
            if (IsClosed(out int closed))
            {
                return closed;
            }

            committed = _consumer.Committed(list, timeoutMs < 0 ? Timeout.InfiniteTimeSpan : TimeSpan.FromMilliseconds(timeoutMs));
        }

        for (int i = 0; i < list.Count; i++)
        {
            partitions[i].Offset = Constants.SAMSA_OFFSET_INVALID;
            partitions[i].Err = Errors.Ok;
            foreach (TopicPartitionOffset c in committed)
            {
                if (c.Partition == list[i].Partition && c.Topic == list[i].Topic)
                {
                    partitions[i].Offset = c.Offset.Value >= 0 ? c.Offset.Value : Constants.SAMSA_OFFSET_INVALID;
                    break;
                }
            }
        }

        Errors.Clear();
        return Errors.Ok;
    }

    private static bool TryRead(SamsaTopicPartition* partitions, nuint count, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out List<TopicPartition>? list,
        out int error)
    {
        list = null;
        error = 0;
        if (partitions is null || count == 0)
        {
            error = Errors.Invalid("partitions is NULL or partition_cnt is 0");
            return false;
        }

        list = new List<TopicPartition>((int)Math.Min(count, 4096));
        for (nuint i = 0; i < count; i++)
        {
            if (partitions[i].Topic is null)
            {
                error = Errors.Invalid($"partitions[{i}].topic is NULL");
                list = null;
                return false;
            }

            list.Add(new TopicPartition(Utf8.Decode(partitions[i].Topic, "topic name"), partitions[i].Partition));
        }

        return true;
    }
}
