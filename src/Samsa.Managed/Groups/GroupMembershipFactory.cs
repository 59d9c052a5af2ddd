using Microsoft.Extensions.Logging;
using Samsa.Cluster;

namespace Samsa.Groups;

/// <summary>How the consumer creates its group membership: classic or KIP-848, as group.protocol says.</summary>
internal static class GroupMembershipFactory
{
    /// <exception cref="ConfigException">group.id is missing.</exception>
    public static IGroupMembership Create(KafkaCluster cluster, ConsumerConfig config, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(cluster);
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(logger);
        GroupSettings settings = GroupSettings.From(config);
        return config.GroupProtocol == GroupProtocol.Consumer
            ? new ConsumerGroupMembership(cluster, settings, logger)
            : new ClassicMembership(cluster, settings, logger);
    }
}
