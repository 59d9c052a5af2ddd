using System.Buffers.Binary;
using Samsa.Protocol;
using Samsa.Protocol.Messages;
using Samsa.Protocol.Records;
using Samsa.TestSupport;
using Record = Samsa.Protocol.Records.Record;

namespace Samsa.Tests.Producer;

/// <summary>
/// A broker that enforces Kafka's idempotent-producer rules exactly (the test cluster does not without a
/// transactional id): per partition and producer it tracks the epoch and the last sequence, answers a retry of
/// one of the last five batches with its original offset, rejects gaps with OUT_OF_ORDER_SEQUENCE_NUMBER and
/// an unknown producer with UNKNOWN_PRODUCER_ID, and bumps epochs on InitProducerId (KIP-360). Faults can be
/// scripted per Produce request: lose the response after appending, answer a retriable error, or stay silent.
/// </summary>
internal sealed class IdempotentFakeKafka : IAsyncDisposable
{
    private readonly Lock _lock = new();
    private readonly Dictionary<int, PartitionLog> _logs = [];
    private long _nextProducerId = 1000;
    private int _produceRequests;

    public IdempotentFakeKafka(string topic, int partitions)
    {
        Topic = topic;
        for (int p = 0; p < partitions; p++)
        {
            _logs[p] = new PartitionLog();
        }

        Broker = new FakeBroker(1) { Handler = Handle };
    }

    public string Topic { get; }

    public FakeBroker Broker { get; }

    public string BootstrapServers => $"127.0.0.1:{Broker.Port}";

    /// <summary>Decides the fate of the n-th Produce request (0-based); default: answer normally.</summary>
    public Func<int, ProduceFault> Faults { get; set; } = _ => ProduceFault.None;

    /// <summary>Errors to answer for the next Produce requests on given partitions, before looking at sequences.</summary>
    public Queue<(int Partition, ErrorCode Error)> PartitionErrors { get; } = new();

    public List<InitProducerIdRequest> InitRequests { get; } = [];

    public int ProduceRequests => Volatile.Read(ref _produceRequests);

    /// <summary>The values in the log of a partition, in offset order (the first 4 bytes of each: a sequence number).</summary>
    public List<int> Values(int partition)
    {
        lock (_lock)
        {
            return [.. _logs[partition].Values];
        }
    }

    private FakeReply? Handle(FakeRequest request)
    {
        lock (_lock)
        {
            switch (request.ApiKey)
            {
                case ApiKey.Metadata:
                    return new FakeReply.Message(Metadata());
                case ApiKey.InitProducerId:
                    return new FakeReply.Message(InitProducerId((InitProducerIdRequest)request.Message));
                case ApiKey.Produce:
                    int n = _produceRequests++;
                    ProduceFault fault = Faults(n);
                    if (fault == ProduceFault.Silence)
                    {
                        return new FakeReply.Silence();
                    }

                    ProduceResponse response = Produce((ProduceRequest)request.Message, fault);
                    return fault == ProduceFault.LoseResponse ? new FakeReply.Close() : new FakeReply.Message(response);
                default:
                    return null;
            }
        }
    }

    private MetadataResponse Metadata()
    {
        var response = new MetadataResponse { ClusterId = "idempotent-fake", ControllerId = 1 };
        response.Brokers.Add(new MetadataResponse.MetadataResponseBroker { NodeId = 1, Host = "127.0.0.1", Port = Broker.Port });
        var topic = new MetadataResponse.MetadataResponseTopic { Name = Topic, TopicId = Guid.NewGuid() };
        foreach (int p in _logs.Keys)
        {
            topic.Partitions.Add(new MetadataResponse.MetadataResponsePartition { PartitionIndex = p, LeaderId = 1, ReplicaNodes = [1], IsrNodes = [1] });
        }

        response.Topics.Add(topic);
        return response;
    }

    private InitProducerIdResponse InitProducerId(InitProducerIdRequest request)
    {
        InitRequests.Add(request);
        if (request.ProducerId >= 0)
        {
            // KIP-360: bump the epoch of a known producer; its sequences start again at 0 everywhere.
            return new InitProducerIdResponse { ProducerId = request.ProducerId, ProducerEpoch = (short)(request.ProducerEpoch + 1) };
        }

        return new InitProducerIdResponse { ProducerId = _nextProducerId++, ProducerEpoch = 0 };
    }

    private ProduceResponse Produce(ProduceRequest request, ProduceFault fault)
    {
        var response = new ProduceResponse();
        foreach (ProduceRequest.TopicProduceData topic in request.TopicData)
        {
            var topicResponse = new ProduceResponse.TopicProduceResponse { Name = topic.Name };
            foreach (ProduceRequest.PartitionProduceData data in topic.PartitionData)
            {
                var result = new ProduceResponse.PartitionProduceResponse { Index = data.Index, BaseOffset = -1, LogAppendTimeMs = -1 };
                if (fault == ProduceFault.RetriableError)
                {
                    result.ErrorCode = (short)ErrorCode.NotLeaderOrFollower;
                }
                else if (PartitionErrors.TryPeek(out var scripted) && scripted.Partition == data.Index)
                {
                    PartitionErrors.Dequeue();
                    result.ErrorCode = (short)scripted.Error;
                }
                else
                {
                    (ErrorCode error, long offset) = _logs[data.Index].Append(data.Records!.Value);
                    result.ErrorCode = (short)error;
                    result.BaseOffset = offset;
                }

                topicResponse.PartitionResponses.Add(result);
            }

            response.Responses.Add(topicResponse);
        }

        return response;
    }

    public ValueTask DisposeAsync() => Broker.DisposeAsync();

    private sealed class PartitionLog
    {
        private readonly Dictionary<long, (short Epoch, int LastSequence, List<(int BaseSequence, long Offset)> Recent)> _producers = [];

        public List<int> Values { get; } = [];

        public (ErrorCode, long) Append(ReadOnlyMemory<byte> records)
        {
            var reader = new RecordBatchReader(records);
            Assert.True(reader.TryReadNext(out RecordBatch batch), "a Produce request without a batch");
            RecordBatchHeader h = batch.Header;
            if (h.ProducerId < 0)
            {
                return (ErrorCode.None, AppendRecords(batch));
            }

            if (!_producers.TryGetValue(h.ProducerId, out var state))
            {
                if (h.BaseSequence != 0)
                {
                    return (ErrorCode.UnknownProducerId, -1);
                }

                state = (h.ProducerEpoch, -1, []);
            }

            if (h.ProducerEpoch < state.Epoch)
            {
                return (ErrorCode.InvalidProducerEpoch, -1);
            }

            if (h.ProducerEpoch > state.Epoch)
            {
                if (h.BaseSequence != 0)
                {
                    return (ErrorCode.OutOfOrderSequenceNumber, -1);
                }

                state = (h.ProducerEpoch, -1, []);
            }

            foreach (var (baseSequence, offset) in state.Recent)
            {
                if (baseSequence == h.BaseSequence)
                {
                    return (ErrorCode.None, offset); // a retry of a batch already written: its original offset
                }
            }

            if (h.BaseSequence != state.LastSequence + 1)
            {
                return (ErrorCode.OutOfOrderSequenceNumber, -1);
            }

            long first = AppendRecords(batch);
            state.Recent.Add((h.BaseSequence, first));
            if (state.Recent.Count > 5)
            {
                state.Recent.RemoveAt(0);
            }

            _producers[h.ProducerId] = (h.ProducerEpoch, h.BaseSequence + h.RecordCount - 1, state.Recent);
            return (ErrorCode.None, first);
        }

        private long AppendRecords(RecordBatch batch)
        {
            long first = Values.Count;
            foreach (Record r in batch.GetRecordReader())
            {
                Values.Add(r.Value.Length >= 4 ? BinaryPrimitives.ReadInt32BigEndian(r.Value.Span) : -1);
            }

            return first;
        }
    }
}

/// <summary>What the idempotent fake does with one Produce request.</summary>
internal enum ProduceFault
{
    None,

    /// <summary>Append, then close the connection instead of answering (the response is lost).</summary>
    LoseResponse,

    /// <summary>Answer NOT_LEADER_OR_FOLLOWER for every partition without appending.</summary>
    RetriableError,

    /// <summary>Never answer (the client's request timeout fires).</summary>
    Silence,
}
