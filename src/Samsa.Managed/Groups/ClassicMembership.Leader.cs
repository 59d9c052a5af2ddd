using Samsa.Cluster;
using Samsa.Protocol.Messages;

namespace Samsa.Groups;

internal sealed partial class ClassicMembership
{
    /// <summary>
    /// The leader's part: decode every member's subscription, learn the partition counts of all the topics they
    /// subscribe to, and run the chosen assignor. Every member gets an assignment, possibly empty.
    /// </summary>
    private async Task<List<SyncGroupRequest.SyncGroupRequestAssignment>> LeaderAssignAsync(
        List<JoinGroupResponse.JoinGroupResponseMember> joined, IPartitionAssignor assignor, CancellationToken stop)
    {
        var members = new List<AssignorMember>(joined.Count);
        var topics = new SortedSet<string>(StringComparer.Ordinal);
        foreach (JoinGroupResponse.JoinGroupResponseMember m in joined)
        {
            MemberSubscription subscription;
            try
            {
                subscription = ConsumerProtocol.DecodeSubscription(m.Metadata ?? []);
            }
            catch (ProtocolException ex)
            {
                GroupLog.OperationFailed(Logger, GroupId, $"reading the subscription of member {m.MemberId}", ex.Message);
                subscription = new MemberSubscription([], null, [], -1, null, 0);
            }

            int generation = subscription.Version >= 2
                ? subscription.GenerationId
                : CooperativeStickyAssignor.GenerationFromUserData(subscription.UserData);
            members.Add(new AssignorMember(m.MemberId, m.GroupInstanceId, subscription.Topics, subscription.OwnedPartitions, generation, subscription.RackId));
            topics.UnionWith(subscription.Topics);
        }

        Cluster.AddTopics(topics);
        using (var timeout = CancellationTokenSource.CreateLinkedTokenSource(stop))
        {
            timeout.CancelAfter(Settings.RequestTimeout);
            try
            {
                await Cluster.RefreshAsync(timeout.Token).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is KafkaException || (ex is OperationCanceledException && !stop.IsCancellationRequested))
            {
                GroupLog.OperationFailed(Logger, GroupId, "refreshing metadata before assigning", ex.Message);
            }
        }

        ClusterMetadata metadata = Cluster.Metadata;
        var partitionsPerTopic = new Dictionary<string, int>(StringComparer.Ordinal);
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (string topic in topics)
        {
            int count = PartitionCount(metadata, topic);
            counts[topic] = count;
            if (count > 0)
            {
                partitionsPerTopic[topic] = count;
            }
        }

        Dictionary<string, List<TopicPartition>> assignment = assignor.Assign(partitionsPerTopic, members);
        _leaderTopicCounts = counts;
        GroupLog.LeaderAssigned(Logger, GroupId, assignor.Name, members.Count, partitionsPerTopic.Count);
        var result = new List<SyncGroupRequest.SyncGroupRequestAssignment>(members.Count);
        foreach (AssignorMember m in members)
        {
            List<TopicPartition> partitions = assignment.TryGetValue(m.MemberId, out List<TopicPartition>? list) ? list : [];
            result.Add(new SyncGroupRequest.SyncGroupRequestAssignment
            {
                MemberId = m.MemberId,
                Assignment = ConsumerProtocol.EncodeAssignment(partitions),
            });
        }

        return result;
    }

    /// <summary>A topic's partition count, or -1 while it does not exist (or is in error).</summary>
    private static int PartitionCount(ClusterMetadata metadata, string topic) =>
        metadata.Topic(topic) is { Error: ErrorCode.None, PartitionCount: > 0 } info ? info.PartitionCount : -1;

    /// <summary>
    /// Metadata changed: a regex subscription may now match other topics (the member rejoins with the new list),
    /// and the leader watches the partition counts it assigned with (a new topic or new partitions need a rebalance).
    /// </summary>
    protected override void OnMetadataUpdated(ClusterMetadata metadata)
    {
        if (_state.Generation < 0)
        {
            return;
        }

        TopicSubscription subscription = CurrentSubscription.Subscription;
        if (subscription.HasPatterns)
        {
            SortedSet<string> now = subscription.Resolve(metadata);
            if (!now.SetEquals(_joinedTopics))
            {
                RequestRejoin("the topics the subscription's patterns match changed");
                return;
            }
        }

        if (_leaderTopicCounts is { } counts)
        {
            foreach (var (topic, count) in counts)
            {
                if (PartitionCount(metadata, topic) != count)
                {
                    _leaderTopicCounts = null;
                    RequestRejoin($"the partitions of topic '{topic}' changed");
                    return;
                }
            }
        }
    }
}
