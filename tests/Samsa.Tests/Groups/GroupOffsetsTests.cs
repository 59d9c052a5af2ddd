using Samsa.Cluster;
using Samsa.Groups;
using Samsa.Protocol;
using Samsa.Protocol.Messages;
using Samsa.TestSupport;

namespace Samsa.Tests.Groups;

/// <summary>OffsetCommit and OffsetFetch through a membership, against a scripted coordinator.</summary>
public sealed class GroupOffsetsTests
{
    private static async Task<(FakeGroupBroker Broker, KafkaCluster Cluster, ClassicMembership Membership)> JoinedAsync(GroupSettings? settings = null)
    {
        var broker = new FakeGroupBroker();
        broker.AddTopic("orders", 3);
        KafkaCluster cluster = broker.NewCluster();
        var membership = new ClassicMembership(cluster, settings ?? FakeGroupBroker.Settings(instanceId: "static-1"), NullLoggerFor.Groups);
        membership.Subscribe(["orders"]);
        await MembershipDriver.NextAsync(membership, GroupEventKind.Assigned);
        return (broker, cluster, membership);
    }

    [Fact]
    public async Task Commit_carries_the_generation_member_id_and_instance_id_and_round_trips_through_fetch()
    {
        var (broker, cluster, membership) = await JoinedAsync();
        await using (broker)
        await using (cluster)
        await using (membership)
        {
            await membership.CommitAsync([new("orders", 0, 42, 3), new("orders", 2, 7)], CancellationToken.None);
            OffsetCommitRequest commit = Assert.Single(broker.Requests<OffsetCommitRequest>());
            Assert.Equal((1, "member-1", "static-1"), (commit.GenerationIdOrMemberEpoch, commit.MemberId, commit.GroupInstanceId));
            OffsetCommitRequest.OffsetCommitRequestPartition p0 = commit.Topics.Single().Partitions.Single(p => p.PartitionIndex == 0);
            Assert.Equal((42L, 3), (p0.CommittedOffset, p0.CommittedLeaderEpoch));

            IReadOnlyList<TopicPartitionOffset> fetched = await membership.FetchCommittedAsync([new("orders", 0), new("orders", 1), new("orders", 2)], CancellationToken.None);
            Assert.Equal([42L, Offset.Unset.Value, 7L], fetched.Select(f => f.Offset.Value));
            OffsetFetchRequest fetch = Assert.Single(broker.Requests<OffsetFetchRequest>());
            Assert.True(broker.Broker.Received.Single(r => r.ApiKey == ApiKey.OffsetFetch).Version >= 8);
            Assert.Equal("g", Assert.Single(fetch.Groups).GroupId); // v8+: the batched form
        }
    }

    [Fact]
    public async Task Fetch_uses_the_single_group_form_before_v8_and_asks_for_stable_offsets_for_read_committed()
    {
        var broker = new FakeGroupBroker();
        broker.Broker.VersionOverrides[ApiKey.OffsetFetch] = (0, 7);
        broker.AddTopic("orders", 3);
        await using (broker)
        await using (KafkaCluster cluster = broker.NewCluster())
        await using (var membership = new ClassicMembership(cluster, FakeGroupBroker.Settings() with { RequireStableOffsets = true }, NullLoggerFor.Groups))
        {
            IReadOnlyList<TopicPartitionOffset> fetched = await membership.FetchCommittedAsync([new("orders", 1)], CancellationToken.None);
            Assert.Equal(Offset.Unset, Assert.Single(fetched).Offset);
            FakeRequest request = Assert.Single(broker.Broker.Received, r => r.ApiKey == ApiKey.OffsetFetch);
            Assert.Equal(7, request.Version);
            var fetch = (OffsetFetchRequest)request.Message;
            Assert.Equal("g", fetch.GroupId);
            Assert.True(fetch.RequireStable);
            Assert.Equal("orders", Assert.Single(fetch.Topics!).Name);
        }
    }

    [Fact]
    public async Task Fetch_waits_out_unstable_offsets_and_maps_partition_errors_to_exceptions()
    {
        var broker = new FakeGroupBroker();
        broker.AddTopic("orders", 3);
        int fetches = 0;
        broker.Script = r =>
        {
            if (r.Message is not OffsetFetchRequest)
            {
                return null;
            }

            ErrorCode error = Interlocked.Increment(ref fetches) == 1 ? ErrorCode.UnstableOffsetCommit : ErrorCode.TopicAuthorizationFailed;
            return new FakeReply.Message(new OffsetFetchResponse
            {
                Groups =
                [
                    new OffsetFetchResponse.OffsetFetchResponseGroup
                    {
                        GroupId = "g",
                        Topics = [new OffsetFetchResponse.OffsetFetchResponseTopics { Name = "orders", Partitions = [new() { PartitionIndex = 1, CommittedOffset = -1, ErrorCode = (short)error }] }],
                    },
                ],
            });
        };
        await using (broker)
        await using (KafkaCluster cluster = broker.NewCluster())
        await using (var membership = new ClassicMembership(cluster, FakeGroupBroker.Settings(), NullLoggerFor.Groups))
        {
            KafkaException ex = await Assert.ThrowsAsync<KafkaException>(async () => await membership.FetchCommittedAsync([new("orders", 1)], CancellationToken.None));
            Assert.Equal(ErrorCode.TopicAuthorizationFailed, ex.Error);
            Assert.Contains("orders [1]", ex.Message, StringComparison.Ordinal);
            Assert.Equal(2, fetches);
        }
    }

    [Fact]
    public async Task Commits_of_unassigned_partitions_are_refused_locally_naming_them()
    {
        var (broker, cluster, membership) = await JoinedAsync();
        await using (broker)
        await using (cluster)
        await using (membership)
        {
            KafkaException ex = await Assert.ThrowsAsync<KafkaException>(async () =>
                await membership.CommitAsync([new("orders", 1, 5), new("payments", 0, 1), new("orders", 9, 1)], CancellationToken.None));
            Assert.Equal(ErrorCode.LocalInvalidArg, ex.Error);
            Assert.Contains("payments [0]", ex.Message, StringComparison.Ordinal);
            Assert.Contains("orders [9]", ex.Message, StringComparison.Ordinal);
            Assert.DoesNotContain("orders [1]", ex.Message, StringComparison.Ordinal);
            Assert.Empty(broker.Requests<OffsetCommitRequest>());
        }
    }

    [Theory]
    [InlineData(ErrorCode.IllegalGeneration)]
    [InlineData(ErrorCode.RebalanceInProgress)]
    public async Task Commit_errors_of_a_changing_membership_are_retriable(ErrorCode error)
    {
        var (broker, cluster, membership) = await JoinedAsync();
        broker.Script = r => r.Message is OffsetCommitRequest c
            ? new FakeReply.Message(new OffsetCommitResponse
            {
                Topics = [new() { Name = "orders", Partitions = [new() { PartitionIndex = 0, ErrorCode = (short)error }] }],
            })
            : null;
        await using (broker)
        await using (cluster)
        await using (membership)
        {
            KafkaException ex = await Assert.ThrowsAnyAsync<KafkaException>(async () => await membership.CommitAsync([new("orders", 0, 1)], CancellationToken.None));
            Assert.Equal(error, ex.Error);
            Assert.True(ex.IsRetriable);
            Assert.Contains("orders [0]", ex.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Commit_retries_after_the_coordinator_moves()
    {
        var (broker, cluster, membership) = await JoinedAsync();
        int commits = 0;
        broker.Script = r => r.Message is OffsetCommitRequest && Interlocked.Increment(ref commits) == 1
            ? new FakeReply.Message(new OffsetCommitResponse
            {
                Topics = [new() { Name = "orders", Partitions = [new() { PartitionIndex = 0, ErrorCode = (short)ErrorCode.NotCoordinator }] }],
            })
            : null;
        await using (broker)
        await using (cluster)
        await using (membership)
        {
            int finds = broker.Count(ApiKey.FindCoordinator);
            await membership.CommitAsync([new("orders", 0, 1)], CancellationToken.None);
            Assert.Equal(2, commits);
            Assert.True(broker.Count(ApiKey.FindCoordinator) > finds);
        }
    }
}
