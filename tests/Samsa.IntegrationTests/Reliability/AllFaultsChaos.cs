using Samsa.TestSupport;

namespace Samsa.IntegrationTests.Reliability;

/// <summary>
/// Every fault at once on a 3-broker test cluster behind a <see cref="ChaosProxy"/>, each kind on its own loop so
/// that they overlap: brokers going down and up (the mock closes their connections and refuses new ones), the
/// leaders of several distinct partitions moved every second, and on the proxy connections cut in the middle of a
/// request or response frame, responses stalled past request.timeout.ms and whole connections reset.
/// Counts what it did.
/// </summary>
internal sealed class AllFaultsChaos(TestCluster cluster, ChaosProxy proxy, string topic, int partitions, TimeSpan requestTimeout)
{
    /// <summary>Partitions whose leader moves per round (distinct, and none moved in the round before).</summary>
    private const int MovesPerRound = 8;

    private int _restarts;
    private int _leaderMoves;
    private int _cutRequests;
    private int _cutResponses;
    private int _stalls;
    private int _resets;

    public int BrokerRestarts => Volatile.Read(ref _restarts);

    public int LeaderMoves => Volatile.Read(ref _leaderMoves);

    /// <summary>Cuts ordered (the proxy counts those that landed on a frame: <see cref="ChaosProxy.CutCount"/>).</summary>
    public int CutsOrdered => Volatile.Read(ref _cutRequests) + Volatile.Read(ref _cutResponses);

    public int Stalls => Volatile.Read(ref _stalls);

    public int Resets => Volatile.Read(ref _resets);

    /// <summary>Broker restarts, leader moves and proxy faults together until <paramref name="stop"/>.</summary>
    public Task RunAllAsync(int seed, CancellationToken stop) =>
        Task.WhenAll(RestartBrokersAsync(seed, stop), MoveLeadersAsync(seed + 1, stop), ProxyFaultsAsync(seed + 2, stop));

    /// <summary>Every broker up, every proxy fault lifted.</summary>
    public async Task HealAsync()
    {
        proxy.Heal();
        for (int b = 1; b <= cluster.BrokerCount; b++)
        {
            await cluster.BrokerUpAsync(b);
        }
    }

    public string Summary() =>
        $"{BrokerRestarts} broker restarts, {LeaderMoves} leader moves, {CutsOrdered} cuts ordered ({proxy.CutCount} frames cut mid-way), " +
        $"{Stalls} response stalls past request.timeout.ms, {Resets} connection resets, {proxy.RefusedCount} connections refused, {proxy.ConnectionCount} connections";

    /// <summary>One broker at a time goes down for 0.3-0.7 s, every 1.5-2.5 s.</summary>
    public async Task RestartBrokersAsync(int seed, CancellationToken stop)
    {
        var random = new Random(seed);
        await Until(stop, async () =>
        {
            await Task.Delay(1500 + random.Next(1000), stop);
            int broker = 1 + random.Next(cluster.BrokerCount);
            await cluster.BrokerDownAsync(broker, CancellationToken.None);
            try
            {
                await Task.Delay(300 + random.Next(400), stop);
            }
            finally
            {
                await cluster.BrokerUpAsync(broker, CancellationToken.None);
                Interlocked.Increment(ref _restarts);
            }
        });
    }

    /// <summary>
    /// Every second, the leaders of <see cref="MovesPerRound"/> distinct partitions move to random brokers. A partition
    /// moved in one round is left alone in the next: moving a leader away and straight back between two pipelined
    /// requests lets the mock refuse the first (NOT_LEADER) and append the second, which a real broker would refuse
    /// too (OUT_OF_ORDER_SEQUENCE_NUMBER) but the mock checks no sequences (see ProducerFaultTests).
    /// </summary>
    public async Task MoveLeadersAsync(int seed, CancellationToken stop)
    {
        var random = new Random(seed);
        var previous = new HashSet<int>();
        await Until(stop, async () =>
        {
            var moved = new HashSet<int>();
            while (moved.Count < Math.Min(MovesPerRound, partitions / 2))
            {
                int p = random.Next(partitions);
                if (!previous.Contains(p) && moved.Add(p))
                {
                    await cluster.SetLeaderAsync(topic, p, 1 + random.Next(cluster.BrokerCount), CancellationToken.None);
                    Interlocked.Increment(ref _leaderMoves);
                }
            }

            previous = moved;
            await Task.Delay(1000, stop);
        });
    }

    /// <summary>Every 0.2-0.4 s, on a random broker: cut requests or responses mid-frame, stall responses past the request timeout, or reset every connection.</summary>
    public async Task ProxyFaultsAsync(int seed, CancellationToken stop)
    {
        var random = new Random(seed);
        await Until(stop, async () =>
        {
            ChaosBroker broker = proxy.Broker(1 + random.Next(proxy.Brokers.Count));
            switch (random.Next(4))
            {
                case 0:
                    int requests = 1 + random.Next(2);
                    broker.CutRequests(requests);
                    Interlocked.Add(ref _cutRequests, requests);
                    break;
                case 1:
                    int responses = 1 + random.Next(2);
                    broker.CutResponses(responses);
                    Interlocked.Add(ref _cutResponses, responses);
                    break;
                case 2:
                    broker.StallResponses(requestTimeout + TimeSpan.FromSeconds(1));
                    Interlocked.Increment(ref _stalls);
                    break;
                default:
                    broker.CutAllConnections();
                    Interlocked.Increment(ref _resets);
                    break;
            }

            await Task.Delay(200 + random.Next(200), stop);
        });
    }

    private static async Task Until(CancellationToken stop, Func<Task> round)
    {
        try
        {
            while (!stop.IsCancellationRequested)
            {
                await round();
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
        }
    }
}
