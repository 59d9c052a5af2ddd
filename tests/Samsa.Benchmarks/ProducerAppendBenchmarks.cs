using BenchmarkDotNet.Attributes;
using Samsa.Cluster;
using Samsa.Network;
using Samsa.Producer;
using Samsa.Protocol.Records;

namespace Samsa.Benchmarks;

/// <summary>
/// The producer's hot path: choosing a partition and appending a record to its open batch. Steady state
/// (batches recycled through the pool, as the sender does after delivery) must allocate nothing per message.
/// </summary>
[MemoryDiagnoser]
public class ProducerAppendBenchmarks
{
    private const int Messages = 10_000;
    private readonly byte[] _value = new byte[100];
    private readonly byte[][] _keys = new byte[1024][];
    private readonly RecordHeader[] _headers = [new RecordHeader("trace", new byte[16])];
    private KafkaCluster _cluster = null!;
    private ProducerAccumulator _accumulator = null!;
    private BatchPool _pool = null!;
    private TopicState _topic = null!;

    [GlobalSetup]
    public void Setup()
    {
        for (int i = 0; i < _keys.Length; i++)
        {
            _keys[i] = System.Text.Encoding.UTF8.GetBytes("key-" + i);
        }

        // No broker is contacted: the topic's metadata is applied by hand, as a refresh would.
        _cluster = new KafkaCluster(new ClusterOptions { BootstrapServers = [new BrokerAddress("127.0.0.1", 9)] });
        var settings = new ProducerSettings { QueueMaxMessages = int.MaxValue, QueueMaxBytes = long.MaxValue };
        _pool = BatchPool.For(settings); // as the producer builds it: byte-capped, idle batches released by the send loop
        _accumulator = new ProducerAccumulator(settings, _cluster, _pool, static () => { });
        _topic = _accumulator.GetTopic("bench");
        var partitions = new PartitionInfo[16];
        for (int p = 0; p < partitions.Length; p++)
        {
            partitions[p] = new PartitionInfo(p, 1, 0, [1], [1], [], ErrorCode.None);
        }

        _topic.Apply(new TopicInfo("bench", Guid.NewGuid(), false, ErrorCode.None, partitions));
        Run(null); // warm the pool and the batch buffers
    }

    [GlobalCleanup]
    public void Cleanup() => _cluster.DisposeAsync().AsTask().GetAwaiter().GetResult();

    [Benchmark(OperationsPerInvoke = Messages, Description = "keyed 100 B")]
    public void Keyed() => Run(null);

    [Benchmark(OperationsPerInvoke = Messages, Description = "keyed 100 B + header")]
    public void KeyedWithHeader() => Run(_headers);

    private void Run(RecordHeader[]? headers)
    {
        long timestamp = 1_700_000_000_000;
        for (int i = 0; i < Messages; i++)
        {
            _accumulator.TryReserve(124);
            _accumulator.TryAppend(_topic, -1, timestamp, _keys[i & 1023], false, _value, false, headers, null, null, 124);
        }

        // What the sender and the delivery loop do: every batch goes back to the pool once delivered.
        foreach (PartitionState ps in _topic.Partitions)
        {
            lock (ps.Lock)
            {
                ps.CloseOpen();
                while (ps.TryTakeReady(out ProducerBatch? batch))
                {
                    _accumulator.Release(batch.Count, batch.AccountedBytes);
                    _pool.Return(batch);
                }
            }
        }
    }
}
