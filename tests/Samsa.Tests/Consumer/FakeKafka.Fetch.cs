using Samsa.Protocol.Messages;
using Samsa.TestSupport;

namespace Samsa.Tests.Consumer;

internal sealed partial class FakeKafka
{
    private readonly Dictionary<int, FakeSession> _sessions = [];
    private int _nextSessionId = 100;

    /// <summary>Forgets every fetch session (as a broker evicting them): the next incremental fetch gets FETCH_SESSION_ID_NOT_FOUND.</summary>
    public void EvictSessions()
    {
        lock (_lock)
        {
            _sessions.Clear();
        }
    }

    /// <summary>Makes every session expect another epoch: the next incremental fetch gets INVALID_FETCH_SESSION_EPOCH.</summary>
    public void SkewSessionEpochs()
    {
        lock (_lock)
        {
            foreach (FakeSession s in _sessions.Values)
            {
                s.NextEpoch += 5;
            }
        }
    }

    private FakeReply Fetch(int nodeId, FetchRequest request, short version)
    {
        Fetches.Enqueue((nodeId, request));
        var response = new FetchResponse();
        FakeSession? session = null;
        var wanted = new List<((string Topic, int Partition) Key, long Offset, int MaxBytes, int Epoch)>();
        if (version >= 7 && request.SessionId != 0)
        {
            if (!_sessions.TryGetValue(request.SessionId, out session) || session.Node != nodeId)
            {
                response.ErrorCode = (short)ErrorCode.FetchSessionIdNotFound;
                return new FakeReply.Message(response);
            }

            if (request.SessionEpoch != session.NextEpoch)
            {
                response.ErrorCode = (short)ErrorCode.InvalidFetchSessionEpoch;
                return new FakeReply.Message(response);
            }

            foreach (FetchRequest.FetchTopic t in request.Topics)
            {
                foreach (FetchRequest.FetchPartition p in t.Partitions)
                {
                    session.Partitions[(t.Topic, p.Partition)] = (p.FetchOffset, p.PartitionMaxBytes, p.CurrentLeaderEpoch);
                }
            }

            foreach (FetchRequest.ForgottenTopic t in request.ForgottenTopicsData)
            {
                foreach (int p in t.Partitions)
                {
                    session.Partitions.Remove((t.Topic, p));
                }
            }

            session.NextEpoch++;
            response.SessionId = session.Id;
            foreach (var (key, (offset, max, epoch)) in session.Partitions)
            {
                wanted.Add((key, offset, max, epoch));
            }
        }
        else
        {
            foreach (FetchRequest.FetchTopic t in request.Topics)
            {
                foreach (FetchRequest.FetchPartition p in t.Partitions)
                {
                    wanted.Add(((t.Topic, p.Partition), p.FetchOffset, p.PartitionMaxBytes, p.CurrentLeaderEpoch));
                }
            }

            if (version >= 7 && Sessions && request.SessionEpoch == 0)
            {
                session = new FakeSession(_nextSessionId++, nodeId);
                foreach (var (key, offset, max, epoch) in wanted)
                {
                    session.Partitions[key] = (offset, max, epoch);
                }

                _sessions[session.Id] = session;
                response.SessionId = session.Id;
            }
        }

        bool incremental = session is not null && request.SessionId != 0;
        int budget = request.MaxBytes;
        bool anyRecords = false;
        foreach (var (key, offset, maxBytes, epoch) in wanted)
        {
            FetchResponse.PartitionData data = PartitionFetch(nodeId, request, key, offset, Math.Min(maxBytes, budget), epoch, first: !anyRecords);
            int length = data.Records?.Length ?? 0;
            budget = Math.Max(0, budget - length);
            anyRecords |= length > 0;
            if (incremental && length == 0 && data.ErrorCode == 0 && session!.LastHighWatermark.GetValueOrDefault(key, -2) == data.HighWatermark
                && data.PreferredReadReplica < 0)
            {
                continue;
            }

            if (session is not null)
            {
                session.LastHighWatermark[key] = data.HighWatermark;
            }

            FetchResponse.FetchableTopicResponse? topic = response.Responses.Find(t => t.Topic == key.Topic);
            if (topic is null)
            {
                topic = new FetchResponse.FetchableTopicResponse { Topic = key.Topic };
                response.Responses.Add(topic);
            }

            topic.Partitions.Add(data);
        }

        var reply = new FakeReply.Message(response);
        return anyRecords || request.MaxWaitMs == 0 ? reply : new FakeReply.Delay(TimeSpan.FromMilliseconds(Math.Min(LongPollMs, request.MaxWaitMs)), reply);
    }

    private FetchResponse.PartitionData PartitionFetch(int nodeId, FetchRequest request, (string Topic, int Partition) key, long offset, int maxBytes, int epoch, bool first)
    {
        var data = new FetchResponse.PartitionData { PartitionIndex = key.Partition, HighWatermark = -1 };
        if (!_logs.TryGetValue(key, out FakePartitionLog? log))
        {
            data.ErrorCode = (short)ErrorCode.UnknownTopicOrPartition;
            return data;
        }

        int? preferred = PreferredReplica?.Invoke(key.Topic, key.Partition, request.RackId);
        bool serves = log.Leader == nodeId || preferred == nodeId;
        if (!serves)
        {
            data.ErrorCode = (short)ErrorCode.NotLeaderOrFollower;
            return data;
        }

        if (epoch >= 0 && epoch < log.LeaderEpoch)
        {
            data.ErrorCode = (short)ErrorCode.FencedLeaderEpoch;
            return data;
        }

        if (epoch > log.LeaderEpoch)
        {
            data.ErrorCode = (short)ErrorCode.UnknownLeaderEpoch;
            return data;
        }

        data.HighWatermark = log.HighWatermark;
        data.LastStableOffset = log.LastStable ?? log.HighWatermark;
        data.LogStartOffset = log.LogStart;
        if (offset < log.LogStart || offset > log.HighWatermark)
        {
            data.ErrorCode = (short)ErrorCode.OffsetOutOfRange;
            return data;
        }

        if (log.Leader == nodeId && preferred is int replica && replica != nodeId)
        {
            data.PreferredReadReplica = replica;
            return data;
        }

        long limit = request.IsolationLevel == 1 ? data.LastStableOffset : log.HighWatermark;
        if (offset >= limit)
        {
            return data;
        }

        data.Records = log.Read(offset, maxBytes, atLeastOne: first);
        if (request.IsolationLevel == 1)
        {
            data.AbortedTransactions = [.. log.Aborted.Select(a => new FetchResponse.AbortedTransaction { ProducerId = a.ProducerId, FirstOffset = a.FirstOffset })];
        }

        return data;
    }

    private sealed class FakeSession(int id, int node)
    {
        public int Id { get; } = id;

        public int Node { get; } = node;

        public int NextEpoch { get; set; } = 1;

        public Dictionary<(string Topic, int Partition), (long Offset, int MaxBytes, int Epoch)> Partitions { get; } = [];

        public Dictionary<(string Topic, int Partition), long> LastHighWatermark { get; } = [];
    }
}
