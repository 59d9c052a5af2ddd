using System.Diagnostics;
using Samsa.IntegrationTests.Cluster;
using Samsa.Protocol;
using Samsa.TestSupport;
using static Samsa.IntegrationTests.ConsumerGroups.GroupTestKit;

namespace Samsa.IntegrationTests.ConsumerGroups;

/// <summary>
/// Consumer groups under faults while they consume a steady stream of keyed messages: members crash (no
/// LeaveGroup, no final commit) and are replaced, the group coordinator moves to another broker, answers slowly
/// (delayed heartbeats, inside the session timeout), or goes down and comes back. The shared ledger then proves
/// at-least-once: every offset was delivered, each crash takeover resumed at exactly the group's committed offset
/// (nothing skipped), no two members owned a partition at once, and each ownership window kept its partition's order.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class GroupFaultTests(ClusterFixture fixture)
{
    private async Task<(TestCluster Cluster, string Topic, string Group)> PrepareAsync(int partitions, int coordinator, [System.Runtime.CompilerServices.CallerMemberName] string test = "")
    {
        TestCluster cluster = fixture.Cluster;
        string topic = UniqueNames.Topic(test);
        string group = UniqueNames.Group(test);
        await fixture.CreateTopicAsync(topic, partitions);
        await cluster.SetRebalanceDelayAsync(0);
        await cluster.SetCoordinatorAsync(CoordinatorType.Group, group, coordinator);
        return (cluster, topic, group);
    }

    [SkippableFact]
    public async Task Crashed_members_a_moving_coordinator_and_slow_heartbeats_lose_and_skip_nothing()
    {
        const int partitions = 32;
        var (cluster, topic, group) = await PrepareAsync(partitions, coordinator: 1);
        var watch = Stopwatch.StartNew();
        ConsumerConfig config = Config(fixture.BootstrapServers, group, "cooperative-sticky", sessionTimeout: TimeSpan.FromSeconds(4));
        Dictionary<TopicPartition, long> counts;
        GroupFaultRun run = new(cluster, fixture.BootstrapServers, topic, partitions, group, config, coordinator: 1);
        await using (run)
        {
            try
            {
                run.StartProducing();
                GroupConsumer a = run.Start("a"), b = run.Start("b"), c = run.Start("c");
                await run.ConvergedAsync(a, b, c);

                // 1. b crashes mid-stream; d replaces it. The mock drops b once its session times out.
                GroupConsumer d = await run.CrashAndReplaceAsync(b, "d", a, c);

                // 2. The coordinator moves from broker 1 to broker 2: heartbeats, commits and the next rebalance's
                //    JoinGroup/SyncGroup meet NOT_COORDINATOR on broker 1 and must find broker 2.
                await cluster.StartRequestTrackingAsync();
                await cluster.SetCoordinatorAsync(CoordinatorType.Group, group, 2);
                run.Coordinator = 2;
                await run.ProgressAsync(2_000, "after the coordinator moved");
                GroupConsumer e = await run.CrashAndReplaceAsync(c, "e", a, d);
                IReadOnlyList<TrackedRequest> afterMove = await cluster.GetTrackedRequestsAsync();
                await cluster.StopRequestTrackingAsync();
                foreach (ApiKey api in (ApiKey[])[ApiKey.Heartbeat, ApiKey.OffsetCommit, ApiKey.JoinGroup, ApiKey.SyncGroup])
                {
                    Assert.True(afterMove.Any(r => r.BrokerId == 2 && r.ApiKey == api), $"no {api} reached the new coordinator (broker 2) after the move");
                }

                // 3. The new coordinator answers every request 1 s late (heartbeats included, well inside the
                //    4 s session) while f joins: the group rebalances through a slow coordinator and goes on.
                //    Not slower: the test cluster closes a join round 3 s (session - 1 s) after it opened, with the
                //    members that joined by then (a broker waits for every member, up to the rebalance timeout), and
                //    a member with one heartbeat in flight learns of a round up to two delays after it opened. At
                //    1.5 s that is the whole 3 s, and the rounds could keep closing just before one member's
                //    JoinGroup, each aborted by it (a CI run saw f get nothing for 60 s); at 1 s it is 2 s.
                await cluster.SetRttAsync(2, 1_000);
                await run.ProgressAsync(1_000, "with a slow coordinator");
                GroupConsumer f = run.Start("f");
                await run.ConvergedAsync(a, d, e, f);
                await run.ProgressAsync(2_000, "with a slow coordinator after f joined");
                await cluster.SetRttAsync(2, 0);

                counts = await run.StopProducingAsync();
                await AllDeliveredAsync(run.Ledger, counts, TimeSpan.FromSeconds(120));
                Console.WriteLine("moving coordinator: " + run.Summary(counts, watch.Elapsed));
            }
            finally
            {
                await cluster.SetRttAsync(2, 0);
                await cluster.StopRequestTrackingAsync();
            }
        }

        AssertLedger(run.Ledger, counts);
        Assert.All(run.Members, m => Assert.Empty(m.Failures));
        run.AssertTakeovers(crashes: 2);

        // Slow heartbeats (inside the session) and a coordinator move cost no member its membership: no
        // partition was ever lost, only revoked (cooperative moves) or left behind by a crash; f got a share.
        Assert.DoesNotContain(run.Ledger.Windows, w => w.ClosedBy == "lost");
        Assert.Contains(run.Ledger.Windows, w => w.Member == "f" && w.Deliveries.Count > 0);
    }

    [SkippableFact]
    public async Task The_coordinators_broker_goes_down_and_up_then_a_member_crashes_and_nothing_is_skipped()
    {
        const int partitions = 16;
        var (cluster, topic, group) = await PrepareAsync(partitions, coordinator: 3);
        var watch = Stopwatch.StartNew();
        ConsumerConfig config = Config(fixture.BootstrapServers, group, "range", sessionTimeout: TimeSpan.FromSeconds(4));
        Dictionary<TopicPartition, long> counts;
        GroupFaultRun run = new(cluster, fixture.BootstrapServers, topic, partitions, group, config, coordinator: 3);
        await using (run)
        {
            try
            {
                run.StartProducing();
                GroupConsumer a = run.Start("a"), b = run.Start("b"), c = run.Start("c");
                await run.ConvergedAsync(a, b, c);
                await run.ProgressAsync(2_000, "before the coordinator's broker goes down");

                // The coordinator's broker (also the leader of a third of the partitions) is down for 2.5 s: commits,
                // heartbeats and fetches there fail until it is back on the same port. Members may lose their
                // partitions if the outage outlasts their session; either way nothing may be skipped.
                await cluster.BrokerDownAsync(3);
                await Task.Delay(TimeSpan.FromSeconds(2.5));
                await cluster.BrokerUpAsync(3);
                await run.ConvergedAsync(a, b, c);
                await run.ProgressAsync(2_000, "after the coordinator's broker came back");

                // Then b crashes; d replaces it through the restarted coordinator.
                await run.CrashAndReplaceAsync(b, "d", a, c);
                counts = await run.StopProducingAsync();
                await AllDeliveredAsync(run.Ledger, counts, TimeSpan.FromSeconds(120));
                Console.WriteLine("coordinator down/up: " + run.Summary(counts, watch.Elapsed));
            }
            finally
            {
                await cluster.BrokerUpAsync(3);
            }
        }

        AssertLedger(run.Ledger, counts);
        Assert.All(run.Members, m => Assert.Empty(m.Failures));
        run.AssertTakeovers(crashes: 1);
    }
}
