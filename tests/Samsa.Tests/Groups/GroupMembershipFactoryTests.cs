using Samsa.Cluster;
using Samsa.Groups;

namespace Samsa.Tests.Groups;

public sealed class GroupMembershipFactoryTests
{
    [Fact]
    public async Task Creates_the_protocol_group_protocol_names_and_requires_a_group_id()
    {
        await using var broker = new FakeGroupBroker();
        await using KafkaCluster cluster = broker.NewCluster();
        var config = new ConsumerConfig { BootstrapServers = "127.0.0.1:1", GroupId = "g", GroupInstanceId = "i-1", ClientRack = "r" };

        await using (IGroupMembership classic = GroupMembershipFactory.Create(cluster, config, NullLoggerFor.Groups))
        {
            Assert.IsType<ClassicMembership>(classic);
            Assert.Equal("g", classic.GroupId);
            Assert.Equal("", classic.MemberId);
            Assert.Equal(-1, classic.GenerationId);
            Assert.Empty(classic.Assignment);
        }

        await using (IGroupMembership kip848 = GroupMembershipFactory.Create(cluster, config with { GroupProtocol = GroupProtocol.Consumer }, NullLoggerFor.Groups))
        {
            Assert.IsType<ConsumerGroupMembership>(kip848);
            Assert.Equal(22, kip848.MemberId.Length); // generated up front (KIP-1082)
        }

        ConfigException ex = Assert.Throws<ConfigException>(() => GroupMembershipFactory.Create(cluster, config with { GroupId = null, GroupInstanceId = null }, NullLoggerFor.Groups));
        Assert.Contains("group.id", ex.Message, StringComparison.Ordinal);

        GroupSettings settings = GroupSettings.From(config with { IsolationLevel = IsolationLevel.ReadCommitted, PartitionAssignmentStrategies = [PartitionAssignmentStrategy.CooperativeSticky] });
        Assert.Equal(("i-1", "r", true), (settings.GroupInstanceId, settings.RackId, settings.RequireStableOffsets));
        Assert.Equal([PartitionAssignmentStrategy.CooperativeSticky], settings.Assignors);
        Assert.NotEqual(ConsumerGroupMembership.NewMemberId(), ConsumerGroupMembership.NewMemberId());
    }
}
