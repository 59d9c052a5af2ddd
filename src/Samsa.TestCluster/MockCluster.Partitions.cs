using Samsa.TestCluster.Native;

namespace Samsa.TestCluster;

/// <summary>Partition placement and contents.</summary>
public sealed partial class MockCluster
{
    /// <summary>Makes a broker the partition's leader; -1 leaves the partition without a leader.</summary>
    public void SetPartitionLeader(string topic, int partition, int brokerId)
    {
        ValidateTopic(topic);
        if (brokerId != -1)
        {
            ValidateBroker(brokerId);
        }

        lock (_gate)
        {
            Check(RdKafkaMock.PartitionSetLeader(Handle, topic, partition, brokerId), $"leader of {topic}[{partition}]");
        }
    }

    /// <summary>Sets the broker a consumer should fetch from (KIP-392 follower fetching).</summary>
    public void SetPartitionFollower(string topic, int partition, int brokerId)
    {
        ValidateTopic(topic);
        ValidateBroker(brokerId);
        lock (_gate)
        {
            Check(RdKafkaMock.PartitionSetFollower(Handle, topic, partition, brokerId), $"follower of {topic}[{partition}]");
        }
    }

    /// <summary>Sets the follower's low and high watermarks (-1 each: track the leader's).</summary>
    public void SetPartitionFollowerWatermarks(string topic, int partition, long low, long high)
    {
        ValidateTopic(topic);
        lock (_gate)
        {
            Check(RdKafkaMock.PartitionSetFollowerWmarks(Handle, topic, partition, low, high),
                $"follower watermarks of {topic}[{partition}]");
        }
    }

    /// <summary>Deletes the partition's records before <paramref name="beforeOffset"/> (-1: up to the high watermark).</summary>
    public void DeletePartitionRecords(string topic, int partition, long beforeOffset)
    {
        ValidateTopic(topic);
        lock (_gate)
        {
            Check(RdKafkaMock.PartitionDeleteRecords(Handle, topic, partition, beforeOffset),
                $"delete records of {topic}[{partition}]");
        }
    }
}
