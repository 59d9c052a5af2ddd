using System.Runtime.CompilerServices;
using Microsoft.Extensions.Logging;
using Samsa.Network;
using Samsa.Protocol.Messages;

namespace Samsa.Producer;

internal sealed partial class ProducerSender
{
    private async Task SendRequestAsync(KafkaConnection connection, ProduceRequest request, List<ProducerBatch> batches)
    {
        // Settled batches go back to the pool at once (the delivery loop runs concurrently), so everything
        // needed from them is read before the first one is settled, and none is settled twice.
        var partitions = new PartitionState[batches.Count];
        for (int i = 0; i < partitions.Length; i++)
        {
            partitions[i] = batches[i].Partition;
        }

        var handled = new bool[batches.Count];
        long started = Environment.TickCount64;
        try
        {
            ProduceResponse response = await connection.SendAsync<ProduceRequest, ProduceResponse>(request, CancellationToken.None).ConfigureAwait(false);
            if (_logger.IsEnabled(LogLevel.Trace))
            {
                _logger.LogTrace("Produce to {Broker}: {Batches} batches answered in {Ms} ms", connection.Name, batches.Count, Environment.TickCount64 - started);
            }

            var results = new ProduceResponse.PartitionProduceResponse?[batches.Count];
            foreach (ProduceResponse.TopicProduceResponse topic in response.Responses)
            {
                foreach (ProduceResponse.PartitionProduceResponse p in topic.PartitionResponses)
                {
                    int index = Find(partitions, topic.Name, p.Index);
                    if (index >= 0)
                    {
                        results[index] ??= p;
                    }
                }
            }

            for (int i = 0; i < batches.Count; i++)
            {
                handled[i] = true;
                if (results[i] is not { } p)
                {
                    HandleResult(batches[i], ErrorCode.NetworkException, -1, -1, $"Broker {connection.Name} did not answer for this partition.");
                    continue;
                }

                string? message = p.ErrorMessage;
                if (message is null && p.RecordErrors.Count > 0)
                {
                    message = $"record {p.RecordErrors[0].BatchIndex}: {p.RecordErrors[0].BatchIndexErrorMessage}";
                }

                HandleResult(batches[i], (ErrorCode)p.ErrorCode, p.BaseOffset, p.LogAppendTimeMs, message);
            }
        }
        catch (Exception ex)
        {
            if (ex is not (KafkaException or ObjectDisposedException or OperationCanceledException))
            {
                _logger.LogError(ex, "Unexpected error handling a Produce response from {Broker}", connection.Name);
            }

            ErrorCode code = ex is KafkaException k ? k.Error : ErrorCode.NetworkException;
            if (code is ErrorCode.LocalProtocol or ErrorCode.LocalTransport or ErrorCode.LocalDestroy)
            {
                code = ErrorCode.NetworkException;
            }

            for (int i = 0; i < batches.Count; i++)
            {
                if (!handled[i])
                {
                    handled[i] = true;
                    HandleResult(batches[i], code, -1, -1, ex.Message);
                }
            }
        }
        finally
        {
            Interlocked.Decrement(ref _inFlightRequests);
            Wake();
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static int Find(PartitionState[] partitions, string topic, int partition)
    {
        for (int i = 0; i < partitions.Length; i++)
        {
            PartitionState ps = partitions[i];
            if (ps.Partition == partition && ps.Topic == topic)
            {
                return i;
            }
        }

        return -1;
    }

    private void SendWithoutAcks(KafkaConnection connection, ProduceRequest request, List<ProducerBatch> batches)
    {
        ErrorCode error = ErrorCode.None;
        string? message = null;
        try
        {
            connection.SendWithoutResponse<ProduceRequest, ProduceResponse>(request);
        }
        catch (KafkaException ex)
        {
            error = ErrorCode.NetworkException;
            message = ex.Message;
        }

        foreach (ProducerBatch batch in batches)
        {
            HandleResult(batch, error, -1, -1, message);
        }
    }

    /// <summary>
    /// Settles one batch's attempt: delivered, retried (in order: with idempotence a failure holds the
    /// partition until its other in-flight batches are back, then they are all resent in sequence), or failed.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void HandleResult(ProducerBatch batch, ErrorCode error, long baseOffset, long logAppendTime, string? message)
    {
        PartitionState ps = batch.Partition;
        long now = Environment.TickCount64;
        Completion? done = null;
        lock (ps.Lock)
        {
            if (error is ErrorCode.None or ErrorCode.DuplicateSequenceNumber)
            {
                // A duplicate was written by an earlier attempt whose response was lost; its offset is not known here.
                long offset = error == ErrorCode.None ? baseOffset : -1;
                done = new Completion(batch, null, ps.Topic, ps.Partition, ErrorCode.None, null, offset, logAppendTime,
                    _settings.Acks == 0 ? PersistenceStatus.PossiblyPersisted : PersistenceStatus.Persisted);
            }
            else if (ShouldRetry(batch, error, now))
            {
                if (error is ErrorCode.NotLeaderOrFollower or ErrorCode.LeaderNotAvailable or ErrorCode.UnknownTopicOrPartition
                    or ErrorCode.NetworkException or ErrorCode.RequestTimedOut or ErrorCode.FencedLeaderEpoch or ErrorCode.UnknownLeaderEpoch
                    or ErrorCode.NotEnoughReplicas or ErrorCode.KafkaStorageError)
                {
                    _cluster.RequestRefresh();
                }

                if (_settings.Idempotence && error is ErrorCode.OutOfOrderSequenceNumber or ErrorCode.UnknownProducerId && !ps.Draining)
                {
                    // Not explained by an earlier failed batch: the broker lost our sequence state (KIP-360).
                    RequestEpochBump($"{error.Name()} on {ps}");
                }

                _cluster.Options.Connection.Metrics?.BatchesRetried.Add(1);
                batch.NotBefore = now + Backoff(batch.Attempts);
                ps.InFlight.Remove(batch);
                ps.Retrying.Add(batch);
                ps.Draining = true;
                _logger.LogDebug("Retrying batch for {Partition} after {Error} (attempt {Attempt})", ps, error.Name(), batch.Attempts);
            }
            else
            {
                if (_settings.Idempotence && batch.BaseSequence >= 0)
                {
                    // The batch leaves a hole in the sequence: later batches need a new epoch.
                    RequestEpochBump($"a sent batch for {ps} failed with {error.Name()}");
                }

                bool outOfTime = now >= batch.Deadline && !_aborting && IsRetriable(error);
                done = outOfTime
                    ? Fail(batch, ErrorCode.LocalMsgTimedOut,
                        $"delivery.timeout.ms={_settings.DeliveryTimeoutMs} passed after {batch.Attempts} attempts; last error {error.Name()}: {message ?? error.Describe()}",
                        definitelyNotWritten: false)
                    : Fail(batch, error, message, definitelyNotWritten: error != ErrorCode.NetworkException && error != ErrorCode.RequestTimedOut);
            }

            if (done is { } completion)
            {
                if (ps.InFlight.Contains(batch))
                {
                    batch.Outcome = completion;
                }
                else
                {
                    _completions.TryWrite(completion);
                }
            }

            SettleInOrderLocked(ps);

            if (ps.Draining && ps.InFlight.Count == 0)
            {
                ReleaseRetriesLocked(ps);
            }
        }
    }

    /// <summary>
    /// Hands the settled batches at the head of the in-flight list to the delivery loop. Responses to a
    /// partition's pipelined requests are handled on pool threads and may finish out of order; a batch whose
    /// outcome is known waits (still counted in flight) until every batch sent before it has settled or gone
    /// back for a retry, so reports reach the application in partition order. Written under the partition's
    /// lock for the same reason.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void SettleInOrderLocked(PartitionState ps)
    {
        List<ProducerBatch> inFlight = ps.InFlight;
        int settled = 0;
        while (settled < inFlight.Count && inFlight[settled].Outcome is { } outcome)
        {
            inFlight[settled].Outcome = null;
            _completions.TryWrite(outcome);
            settled++;
        }

        if (settled > 0)
        {
            inFlight.RemoveRange(0, settled);
        }
    }

    private bool ShouldRetry(ProducerBatch batch, ErrorCode error, long now)
    {
        if (_aborting || _settings.Acks == 0 || now >= batch.Deadline || batch.Attempts > _settings.Retries)
        {
            return false;
        }

        return IsRetriable(error);
    }

    private bool IsRetriable(ErrorCode error) =>
        error.IsRetriable()
        || error is ErrorCode.LocalTransport or ErrorCode.LocalProtocol
        || (_settings.Idempotence && error is ErrorCode.OutOfOrderSequenceNumber or ErrorCode.UnknownProducerId);

    /// <summary>Puts failed batches back at the front of the queue, in sequence order, once nothing is in flight.</summary>
    private static void ReleaseRetriesLocked(PartitionState ps)
    {
        ps.Retrying.Sort(static (a, b) => a.CreatedAt != b.CreatedAt ? a.CreatedAt.CompareTo(b.CreatedAt) : a.BaseSequence.CompareTo(b.BaseSequence));
        for (int i = ps.Retrying.Count - 1; i >= 0; i--)
        {
            ps.Ready.AddFirst(ps.Retrying[i]);
        }

        ps.Retrying.Clear();
        ps.Draining = false;
    }

    private long Backoff(int attempts)
    {
        double ms = _settings.RetryBackoff.TotalMilliseconds * Math.Pow(2, Math.Min(Math.Max(attempts - 1, 0), 16));
        ms = Math.Min(ms, Math.Max(_settings.RetryBackoffMax.TotalMilliseconds, _settings.RetryBackoff.TotalMilliseconds));
        return (long)(ms * (0.8 + (Random.Shared.NextDouble() * 0.4)));
    }

    private Completion Fail(ProducerBatch batch, ErrorCode error, string? message, bool definitelyNotWritten)
    {
        PartitionState ps = batch.Partition;
        PersistenceStatus status = !batch.EverSent || definitelyNotWritten ? PersistenceStatus.NotPersisted : PersistenceStatus.PossiblyPersisted;
        string text = message is null ? error.Describe() : $"{error.Describe()} ({message})";
        return new Completion(batch, null, ps.Topic, ps.Partition, error, text, -1, -1, status);
    }

    /// <summary>Fails batches past their delivery timeout (or all, when aborting) that are not in flight.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void ExpireLocked(PartitionState ps, long now)
    {
        if (_aborting)
        {
            ps.CloseOpen();
        }

        if (_aborting && ps.Retrying.Count > 0)
        {
            ReleaseRetriesLocked(ps);
        }

        LinkedListNode<ProducerBatch>? node = ps.Ready.First;
        while (node is not null)
        {
            LinkedListNode<ProducerBatch>? next = node.Next;
            ProducerBatch batch = node.Value;
            if (_aborting || now >= batch.Deadline)
            {
                ps.Ready.Remove(node);
                ErrorCode code = _aborting ? ErrorCode.LocalDestroy : ErrorCode.LocalMsgTimedOut;
                string text = _aborting
                    ? "The producer was disposed before the message was delivered."
                    : $"Message timed out after delivery.timeout.ms={_settings.DeliveryTimeoutMs} ({batch.Attempts} attempts).";
                if (_settings.Idempotence && batch.BaseSequence >= 0 && !_aborting)
                {
                    RequestEpochBump($"a batch for {ps} expired");
                }

                _completions.TryWrite(Fail(batch, code, text, definitelyNotWritten: false) with { ErrorMessage = text });
            }

            node = next;
        }
    }
}
