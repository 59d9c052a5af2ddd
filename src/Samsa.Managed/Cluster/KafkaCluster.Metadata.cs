using Microsoft.Extensions.Logging;
using Samsa.Network;
using Samsa.Protocol.Messages;

namespace Samsa.Cluster;

internal sealed partial class KafkaCluster
{
    private readonly HashSet<string> _topics = new(StringComparer.Ordinal);
    private readonly Lock _topicsLock = new();
    private readonly SemaphoreSlim _refreshSignal = new(0, 1);
    private readonly Task _refreshLoop;
    private TaskCompletionSource _nextRefresh = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private bool _allTopics;
    private long _lastRefresh;

    /// <summary>Adds topics whose metadata this client needs; new ones trigger a refresh.</summary>
    public void AddTopics(IEnumerable<string> topics)
    {
        ArgumentNullException.ThrowIfNull(topics);
        bool added = false;
        lock (_topicsLock)
        {
            foreach (string t in topics)
            {
                added |= _topics.Add(t);
            }
        }

        if (added)
        {
            RequestRefresh();
        }
    }

    /// <summary>Adds one topic; returns true when it was new (a refresh was requested).</summary>
    public bool AddTopic(string topic)
    {
        bool added;
        lock (_topicsLock)
        {
            added = _topics.Add(topic);
        }

        if (added)
        {
            RequestRefresh();
        }

        return added;
    }

    /// <summary>Replaces the set of topics of interest.</summary>
    public void SetTopics(IEnumerable<string> topics)
    {
        lock (_topicsLock)
        {
            _topics.Clear();
            _topics.UnionWith(topics);
        }

        RequestRefresh();
    }

    /// <summary>When true, every refresh asks for all topics (regex subscriptions, admin listings).</summary>
    public bool AllTopics
    {
        get
        {
            lock (_topicsLock)
            {
                return _allTopics;
            }
        }

        set
        {
            lock (_topicsLock)
            {
                _allTopics = value;
            }

            RequestRefresh();
        }
    }

    /// <summary>Asks for a refresh soon (no sooner than retry.backoff.ms after the last one). Never blocks.</summary>
    public void RequestRefresh()
    {
        if (_refreshSignal.CurrentCount == 0)
        {
            try
            {
                _refreshSignal.Release();
            }
            catch (SemaphoreFullException)
            {
            }
            catch (ObjectDisposedException)
            {
            }
        }
    }

    /// <summary>Refreshes metadata now and returns the new snapshot (or the refresh's error).</summary>
    public async Task<ClusterMetadata> RefreshAsync(CancellationToken cancellationToken)
    {
        Task next;
        lock (_topicsLock)
        {
            next = _nextRefresh.Task;
        }

        RequestRefresh();
        await next.WaitAsync(cancellationToken).ConfigureAwait(false);
        return _metadata;
    }

    /// <summary>
    /// The metadata of a topic once the cluster has answered for it: a topic with partitions, or a topic error
    /// that is not transient. Transient states (leader election, topic being created) are waited out until
    /// <paramref name="cancellationToken"/> ends the wait.
    /// </summary>
    public async Task<TopicInfo> WaitForTopicAsync(string topic, CancellationToken cancellationToken)
    {
        AddTopic(topic);
        while (true)
        {
            TopicInfo? info = _metadata.Topic(topic);
            if (info is not null && (info.Error == ErrorCode.None ? info.PartitionCount > 0 : !info.Error.IsRetriable()))
            {
                return info;
            }

            if (info is not null && info.Error == ErrorCode.UnknownTopicOrPartition && !_options.AllowAutoCreateTopics)
            {
                return info;
            }

            try
            {
                await RefreshAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (KafkaException) when (!cancellationToken.IsCancellationRequested)
            {
                await Task.Delay(_options.RetryBackoff, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private async Task RefreshLoopAsync()
    {
        CancellationToken stop = _disposed.Token;
        bool retryPending = false;
        while (!stop.IsCancellationRequested)
        {
            TimeSpan wait = retryPending ? _options.RetryBackoff : _options.MetadataMaxAge;
            try
            {
                await _refreshSignal.WaitAsync(wait, stop).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                break;
            }

            long sinceLast = Environment.TickCount64 - _lastRefresh;
            long minGap = (long)_options.RetryBackoff.TotalMilliseconds;
            if (sinceLast < minGap)
            {
                try
                {
                    await Task.Delay(TimeSpan.FromMilliseconds(minGap - sinceLast), stop).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    break;
                }
            }

            TaskCompletionSource waiters;
            lock (_topicsLock)
            {
                waiters = _nextRefresh;
                _nextRefresh = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            }

            try
            {
                await RefreshOnceAsync(stop).ConfigureAwait(false);
                retryPending = NeedsAnotherLook(_metadata);
                waiters.TrySetResult();
            }
            catch (Exception ex) when (ex is KafkaException or OperationCanceledException)
            {
                if (stop.IsCancellationRequested)
                {
                    waiters.TrySetException(new KafkaException(ErrorCode.LocalDestroy, "The client is closing."));
                    break;
                }

                if (ex is KafkaException k && (KafkaConnection.IsSecurityError(k.Error) || k.InnerException is KafkaException { Error: var inner } && KafkaConnection.IsSecurityError(inner)))
                {
                    // Already reported once as a security failure.
                    _options.Logger.LogDebug("Metadata refresh failed: {Reason}", ex.Message);
                }
                else
                {
                    _options.Logger.LogWarning("Metadata refresh failed: {Reason}", ex.Message);
                }
                retryPending = true;
                waiters.TrySetException(ex);
            }
#pragma warning disable CA1031 // The refresh loop must outlive a bug in one refresh: every client waits on it for leaders and topics.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                _options.Logger.LogError("Metadata refresh failed unexpectedly (retrying): {Reason}", ex.ToString());
                retryPending = true;
                waiters.TrySetException(new KafkaException(ErrorCode.LocalFail, $"Refreshing metadata failed unexpectedly: {ex.Message}", ex));
            }
            finally
            {
                _lastRefresh = Environment.TickCount64;
            }
        }
    }

    private async Task RefreshOnceAsync(CancellationToken cancellationToken)
    {
        List<MetadataRequest.MetadataRequestTopic>? requested;
        bool all;
        lock (_topicsLock)
        {
            all = _allTopics;
            requested = all ? null : new List<MetadataRequest.MetadataRequestTopic>(_topics.Count);
            if (requested is not null)
            {
                foreach (string t in _topics)
                {
                    requested.Add(new MetadataRequest.MetadataRequestTopic { Name = t });
                }
            }
        }

        KafkaConnection connection = await GetAnyConnectionAsync(cancellationToken).ConfigureAwait(false);
        var request = new MetadataRequest
        {
            Topics = requested,
            AllowAutoTopicCreation = _options.AllowAutoCreateTopics,
        };

        // Metadata v0 reads an empty topic list as "all topics"; v1+ has null for that.
        MetadataResponse response = await connection.SendAsync<MetadataRequest, MetadataResponse>(request, cancellationToken).ConfigureAwait(false);
        ClusterMetadata snapshot = MetadataSnapshotBuilder.Build(_metadata, response, all);
        _metadata = snapshot;
        NotifyMetadataUpdated(snapshot);
    }

    /// <summary>Tells every subscriber; one that throws is logged and does not keep the others (or the refresh loop) from going on.</summary>
    private void NotifyMetadataUpdated(ClusterMetadata snapshot)
    {
        if (MetadataUpdated is not { } handlers)
        {
            return;
        }

        foreach (Delegate d in handlers.GetInvocationList())
        {
            try
            {
                ((Action<ClusterMetadata>)d)(snapshot);
            }
#pragma warning disable CA1031 // A subscriber's bug must not stop metadata from being refreshed for everyone.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                _options.Logger.LogError("A metadata subscriber failed: {Reason}", ex.ToString());
            }
        }
    }

    /// <summary>True when some topic of interest is in a transient state worth another look soon.</summary>
    private bool NeedsAnotherLook(ClusterMetadata metadata)
    {
        lock (_topicsLock)
        {
            foreach (string t in _topics)
            {
                TopicInfo? info = metadata.Topic(t);
                if (info is null || (info.Error != ErrorCode.None && info.Error.IsRetriable() && info.Error != ErrorCode.UnknownTopicOrPartition))
                {
                    return true;
                }

                foreach (PartitionInfo p in info.Partitions)
                {
                    if (p.Leader < 0)
                    {
                        return true;
                    }
                }
            }
        }

        return false;
    }

    private void FailRefreshWaiters(Exception error)
    {
        lock (_topicsLock)
        {
            _nextRefresh.TrySetException(error);
        }
    }
}
