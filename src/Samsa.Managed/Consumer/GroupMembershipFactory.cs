using Microsoft.Extensions.Logging;
using Samsa.Cluster;
using Samsa.Groups;

namespace Samsa.Consumer;

/// <summary>
/// What a group membership is created with: the consumer's cluster view (shared, so the membership adds the
/// topics it needs and finds the coordinator through it), the validated configuration (group.id,
/// group.instance.id, group.protocol, group.remote.assignor, partition.assignment.strategy, session.timeout.ms,
/// heartbeat.interval.ms, max.poll.interval.ms, client.rack), the consumer's <see cref="GroupOffsets"/> for
/// OffsetCommit/OffsetFetch, and the logger.
/// </summary>
internal sealed record MembershipContext(KafkaCluster Cluster, ConsumerConfig Config, GroupOffsets Offsets, ILogger Logger);

/// <summary>
/// The seam between the consumer and the group membership engine (src/Samsa.Managed/Groups): the consumer calls
/// <see cref="Create"/> when it first subscribes; tests pass a fake membership through the engine instead.
/// </summary>
internal static class GroupMembershipFactory
{
    public static IGroupMembership Create(MembershipContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return Groups.GroupMembershipFactory.Create(context.Cluster, context.Config, context.Logger);
    }
}
