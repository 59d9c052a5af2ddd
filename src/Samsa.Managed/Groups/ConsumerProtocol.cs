using Samsa.Buffers;
using Samsa.Protocol;
using Samsa.Protocol.Messages;

namespace Samsa.Groups;

/// <summary>A member's subscription as the classic "consumer" protocol carries it in JoinGroup.</summary>
internal sealed record MemberSubscription(
    IReadOnlyList<string> Topics,
    byte[]? UserData,
    IReadOnlyList<TopicPartition> OwnedPartitions,
    int GenerationId,
    string? RackId,
    short Version);

/// <summary>A member's assignment as SyncGroup carries it.</summary>
internal sealed record MemberAssignment(IReadOnlyList<TopicPartition> Partitions, byte[]? UserData, short Version);

/// <summary>
/// The bytes of the classic "consumer" protocol (ConsumerProtocolSubscription / ConsumerProtocolAssignment
/// behind an int16 version), exactly as the Java client and librdkafka write them, so that a group may mix
/// Samsa, Java and librdkafka members. Versions above the highest known are read as the highest known:
/// later versions only append fields, so the known prefix is still right (the Java client does the same).
/// </summary>
internal static class ConsumerProtocol
{
    /// <summary>The protocol type of consumer groups in JoinGroup and SyncGroup.</summary>
    public const string ProtocolType = "consumer";

    /// <summary>librdkafka 2.x writes subscription v3 (owned partitions, generation, rack), as Java 3.5+ does.</summary>
    public const short SubscriptionVersion = 3;

    /// <summary>librdkafka writes assignments at v0; every version has the same fields, so any reader takes it.</summary>
    public const short AssignmentVersion = 0;

    public static byte[] EncodeSubscription(MemberSubscription subscription, short version = SubscriptionVersion)
    {
        ArgumentNullException.ThrowIfNull(subscription);
        var message = new ConsumerProtocolSubscription
        {
            Topics = [.. subscription.Topics],
            UserData = subscription.UserData ?? [], // librdkafka writes empty, not null: Kafka 0.9 could not read null
            OwnedPartitions = Group(subscription.OwnedPartitions, static (t, p) => new ConsumerProtocolSubscription.TopicPartition { Topic = t, Partitions = p }),
            GenerationId = subscription.GenerationId,
            RackId = subscription.RackId,
        };
        return Encode(message, version);
    }

    public static MemberSubscription DecodeSubscription(ReadOnlyMemory<byte> bytes)
    {
        var reader = new ProtocolReader(bytes);
        short version = ReadVersion(ref reader, "subscription");
        short known = Math.Min(version, ConsumerProtocolSubscription.HighestSupportedVersion);
        ConsumerProtocolSubscription s = ConsumerProtocolSubscription.Read(ref reader, known);
        var owned = new List<TopicPartition>();
        foreach (ConsumerProtocolSubscription.TopicPartition tp in s.OwnedPartitions)
        {
            foreach (int p in tp.Partitions)
            {
                owned.Add(new TopicPartition(tp.Topic, p));
            }
        }

        return new MemberSubscription(s.Topics, s.UserData, owned, s.GenerationId, s.RackId, version);
    }

    public static byte[] EncodeAssignment(IReadOnlyList<TopicPartition> partitions, byte[]? userData = null, short version = AssignmentVersion)
    {
        ArgumentNullException.ThrowIfNull(partitions);
        var message = new ConsumerProtocolAssignment
        {
            AssignedPartitions = Group(partitions, static (t, p) => new ConsumerProtocolAssignment.TopicPartition { Topic = t, Partitions = p }),
            UserData = userData,
        };
        return Encode(message, version);
    }

    /// <summary>An assignment; empty bytes (what a broker sends a member the leader left out) are an empty assignment.</summary>
    public static MemberAssignment DecodeAssignment(ReadOnlyMemory<byte> bytes)
    {
        if (bytes.IsEmpty)
        {
            return new MemberAssignment([], null, AssignmentVersion);
        }

        var reader = new ProtocolReader(bytes);
        short version = ReadVersion(ref reader, "assignment");
        short known = Math.Min(version, ConsumerProtocolAssignment.HighestSupportedVersion);
        ConsumerProtocolAssignment a = ConsumerProtocolAssignment.Read(ref reader, known);
        var partitions = new List<TopicPartition>();
        foreach (ConsumerProtocolAssignment.TopicPartition tp in a.AssignedPartitions)
        {
            foreach (int p in tp.Partitions)
            {
                partitions.Add(new TopicPartition(tp.Topic, p));
            }
        }

        return new MemberAssignment(partitions, a.UserData, version);
    }

    private static short ReadVersion(ref ProtocolReader reader, string what)
    {
        short version = reader.ReadInt16();
        if (version < 0)
        {
            throw new ProtocolException($"Consumer protocol {what} has version {version}; versions start at 0.");
        }

        return version;
    }

    private static byte[] Encode<T>(T message, short version)
        where T : IKafkaMessage
    {
        using var buffer = new PooledBufferWriter(256);
        var writer = new ProtocolWriter(buffer);
        writer.WriteInt16(version);
        message.Write(ref writer, version);
        writer.Flush();
        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>Groups partitions by topic, keeping the order in which topics first appear (as librdkafka writes them).</summary>
    private static List<T> Group<T>(IReadOnlyList<TopicPartition> partitions, Func<string, List<int>, T> make)
    {
        var order = new List<string>();
        var byTopic = new Dictionary<string, List<int>>(StringComparer.Ordinal);
        foreach (TopicPartition tp in partitions)
        {
            if (!byTopic.TryGetValue(tp.Topic, out List<int>? list))
            {
                list = [];
                byTopic[tp.Topic] = list;
                order.Add(tp.Topic);
            }

            list.Add(tp.Partition);
        }

        var result = new List<T>(order.Count);
        foreach (string topic in order)
        {
            result.Add(make(topic, byTopic[topic]));
        }

        return result;
    }
}
