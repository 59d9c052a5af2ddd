using Samsa.Protocol.Messages;

namespace Samsa.Consumer;

/// <summary>One partition a fetch asks for, as decided under the fetcher's lock when the request is built.</summary>
internal readonly record struct FetchTarget(FetchPartition Partition, int Version, long FetchOffset, int LeaderEpoch, int MaxBytes);

/// <summary>
/// The client side of a KIP-227 fetch session with one broker. The first request is full (every partition,
/// session id 0, epoch 0: "create a session"). When the broker answers with a session id, later requests are
/// incremental: they list only partitions that are new or whose fetch offset, size or leader epoch changed, and
/// name the partitions to drop as forgotten topics. A broker that answers session id 0 has no session for us:
/// requests stay full (and sessionless, epoch -1, for a while, so it is not asked to create one each time).
/// FETCH_SESSION_ID_NOT_FOUND, INVALID_FETCH_SESSION_EPOCH or any failure start over with a full request.
/// </summary>
internal sealed class FetchSession
{
    /// <summary>How long to stop asking a broker that declined for a session.</summary>
    private static readonly long SessionlessMs = (long)TimeSpan.FromMinutes(5).TotalMilliseconds;

    private readonly Dictionary<TopicPartition, Entry> _session = [];
    private readonly HashSet<TopicPartition> _wanted = [];
    private readonly Dictionary<string, FetchRequest.FetchTopic> _topics = new(StringComparer.Ordinal);
    private readonly Dictionary<string, FetchRequest.ForgottenTopic> _forgotten = new(StringComparer.Ordinal);
    private readonly List<TopicPartition> _drop = [];
    private long _sessionlessUntil;
    private bool _lastWasFull;
    private bool _askedForSession;

    /// <summary>The broker's session id; 0 when there is no session.</summary>
    public int SessionId { get; private set; }

    /// <summary>The epoch the next incremental request carries.</summary>
    public int Epoch { get; private set; }

    /// <summary>True when the last request built listed every partition (so its response does too).</summary>
    public bool LastWasFull => _lastWasFull;

    /// <summary>Fills the session fields, partitions and forgotten topics of <paramref name="request"/>.</summary>
    public void Build(FetchRequest request, List<FetchTarget> wanted, short version)
    {
        _topics.Clear();
        _forgotten.Clear();
        bool sessions = version >= 7;
        if (!sessions || SessionId == 0)
        {
            _session.Clear();
            _askedForSession = sessions && Environment.TickCount64 >= _sessionlessUntil;
            request.SessionId = 0;
            request.SessionEpoch = _askedForSession ? 0 : -1;
            foreach (FetchTarget target in wanted)
            {
                AddPartition(request, target);
                _session[target.Partition.TopicPartition] = new Entry(target.FetchOffset, target.MaxBytes, target.LeaderEpoch);
            }

            _lastWasFull = true;
            return;
        }

        request.SessionId = SessionId;
        request.SessionEpoch = Epoch;
        _wanted.Clear();
        foreach (FetchTarget target in wanted)
        {
            TopicPartition tp = target.Partition.TopicPartition;
            _wanted.Add(tp);
            var entry = new Entry(target.FetchOffset, target.MaxBytes, target.LeaderEpoch);
            if (!_session.TryGetValue(tp, out Entry sent) || sent != entry)
            {
                AddPartition(request, target);
                _session[tp] = entry;
            }
        }

        _drop.Clear();
        foreach (TopicPartition tp in _session.Keys)
        {
            if (!_wanted.Contains(tp))
            {
                _drop.Add(tp);
            }
        }

        foreach (TopicPartition tp in _drop)
        {
            _session.Remove(tp);
            if (!_forgotten.TryGetValue(tp.Topic, out FetchRequest.ForgottenTopic? topic))
            {
                topic = new FetchRequest.ForgottenTopic { Topic = tp.Topic };
                _forgotten[tp.Topic] = topic;
                request.ForgottenTopicsData.Add(topic);
            }

            topic.Partitions.Add(tp.Partition);
        }

        _lastWasFull = false;
    }

    /// <summary>Takes the session outcome of a response. Returns false when the session was reset (retry with a full fetch).</summary>
    public bool OnResponse(FetchResponse response)
    {
        var error = (ErrorCode)response.ErrorCode;
        if (error != ErrorCode.None)
        {
            Reset();
            return false;
        }

        if (_lastWasFull)
        {
            SessionId = response.SessionId;
            Epoch = 1;
            if (SessionId == 0)
            {
                _session.Clear();
                if (_askedForSession)
                {
                    _sessionlessUntil = Environment.TickCount64 + SessionlessMs;
                }
            }
        }
        else
        {
            Epoch = Epoch == int.MaxValue ? 1 : Epoch + 1;
        }

        return true;
    }

    /// <summary>Forgets the session: the next request is full.</summary>
    public void Reset()
    {
        SessionId = 0;
        Epoch = 0;
        _session.Clear();
    }

    private void AddPartition(FetchRequest request, in FetchTarget target)
    {
        string topicName = target.Partition.Topic;
        if (!_topics.TryGetValue(topicName, out FetchRequest.FetchTopic? topic))
        {
            topic = new FetchRequest.FetchTopic { Topic = topicName };
            _topics[topicName] = topic;
            request.Topics.Add(topic);
        }

        topic.Partitions.Add(new FetchRequest.FetchPartition
        {
            Partition = target.Partition.Partition,
            CurrentLeaderEpoch = target.LeaderEpoch,
            FetchOffset = target.FetchOffset,
            PartitionMaxBytes = target.MaxBytes,
        });
    }

    private readonly record struct Entry(long FetchOffset, int MaxBytes, int LeaderEpoch);
}
