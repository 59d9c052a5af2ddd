using System.Runtime.CompilerServices;
using Microsoft.Extensions.Logging;
using Samsa.Network;
using Samsa.Protocol;
using Samsa.Protocol.Messages;

namespace Samsa.Producer;

internal sealed partial class ProducerSender
{
    private long _producerId = -1;
    private short _producerEpoch = -1;
    private volatile bool _bumpRequested;
    private Task? _initTask;

    /// <summary>The producer id and epoch in use (-1 before InitProducerId, or without idempotence).</summary>
    public (long ProducerId, short Epoch) Identity => (Interlocked.Read(ref _producerId), _producerEpoch);

    /// <summary>
    /// True when batches may be sent: the producer id is known and no epoch bump is pending. Otherwise starts
    /// (once) what is needed: InitProducerId, after every in-flight request has settled when bumping.
    /// </summary>
    private bool EnsureProducerId()
    {
        // Nothing goes out while InitProducerId (and the renumbering that follows it) runs: a batch numbered
        // before the partitions' sequences are reset would share its sequence with the next one, and the
        // broker would answer the second as a duplicate of the first without writing it.
        if (_initTask is { IsCompleted: false })
        {
            return false;
        }

        if (_producerId >= 0 && !_bumpRequested)
        {
            return true;
        }

        if (_bumpRequested && Volatile.Read(ref _inFlightRequests) > 0)
        {
            return false;
        }

        _initTask = InitProducerIdAsync();
        return false;
    }

    private void RequestEpochBump(string reason)
    {
        if (!_bumpRequested)
        {
            _logger.LogWarning("Bumping the producer epoch: {Reason}", reason);
            _bumpRequested = true;
        }
    }

    private async Task InitProducerIdAsync()
    {
        int attempt = 0;
        bool bump = _producerId >= 0;
        while (!_aborting)
        {
            try
            {
                KafkaConnection connection = await _cluster.GetAnyConnectionAsync(_cluster.ShutdownToken).ConfigureAwait(false);
                short version = connection.ResolveVersion(ApiKey.InitProducerId);
                bool canBump = bump && version >= 3;
                var request = new InitProducerIdRequest
                {
                    TransactionalId = null,
                    TransactionTimeoutMs = int.MaxValue,
                    ProducerId = canBump ? _producerId : -1,
                    ProducerEpoch = canBump ? _producerEpoch : (short)-1,
                };
                InitProducerIdResponse response = await connection.SendAsync<InitProducerIdRequest, InitProducerIdResponse>(
                    request, _cluster.ShutdownToken, version).ConfigureAwait(false);
                var error = (ErrorCode)response.ErrorCode;
                if (error != ErrorCode.None)
                {
                    throw new KafkaException(error, $"InitProducerId failed: {error.Describe()}");
                }

                ApplyIdentity(response.ProducerId, response.ProducerEpoch);
                return;
            }
            catch (KafkaException ex) when (ex.IsRetriable || ex.Error is ErrorCode.LocalAllBrokersDown or ErrorCode.LocalTransport)
            {
                attempt++;
                _logger.LogDebug("InitProducerId attempt {Attempt} failed: {Reason}", attempt, ex.Message);
            }
            catch (KafkaException ex) when (bump)
            {
                // The broker cannot bump this producer's epoch (older brokers, or librdkafka's mock refuses the
                // mapping): start again with a new producer id, which resets every sequence just the same.
                _logger.LogInformation("Epoch bump refused ({Reason}); requesting a new producer id", ex.Message);
                bump = false;
                continue;
            }
            catch (KafkaException ex)
            {
                // Not retriable (authorization, unsupported): every queued message fails with it. A TLS or SASL
                // failure was already reported (once) by the cluster layer.
                if (KafkaConnection.IsSecurityError(ex.Error))
                {
                    _logger.LogDebug("Idempotent producer cannot get a producer id: {Reason}", ex.Message);
                }
                else
                {
                    _logger.LogError("Idempotent producer cannot get a producer id: {Reason}", ex.Message);
                }

                FailEverythingQueued(ex.Error, ex.Message);
                attempt++;
            }
            catch (Exception ex) when (ex is OperationCanceledException or ObjectDisposedException)
            {
                return;
            }

            try
            {
                await Task.Delay((int)Backoff(attempt), _cluster.ShutdownToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is OperationCanceledException or ObjectDisposedException)
            {
                return;
            }
        }
    }

    /// <summary>Takes the new identity; sequences restart at 0 and batches sealed under the old one are renumbered.</summary>
    private void ApplyIdentity(long producerId, short epoch)
    {
        bool changed = producerId != _producerId || epoch != _producerEpoch;
        _logger.LogDebug("Producer id {ProducerId}, epoch {Epoch}", producerId, epoch);
        if (changed)
        {
            foreach (TopicState topic in _accumulator.Topics)
            {
                foreach (PartitionState ps in Volatile.Read(ref topic.Partitions))
                {
                    lock (ps.Lock)
                    {
                        ps.NextSequence = 0;
                        ps.SequenceEpoch = epoch;
                        foreach (ProducerBatch batch in ps.Ready)
                        {
                            if (batch.IsSealed)
                            {
                                batch.Restamp(producerId, epoch, ps.NextSequence);
                                ps.NextSequence = NextSequence(ps.NextSequence, batch.Count);
                            }
                        }
                    }
                }
            }
        }

        // Published only once every partition counts in the new epoch (see EnsureProducerId).
        _producerEpoch = epoch;
        Interlocked.Exchange(ref _producerId, producerId);
        _bumpRequested = false;
        Wake();
    }

    /// <summary>Gives a batch its sequence at first send (idempotence); keeps it on retries within one epoch.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void AssignSequenceLocked(PartitionState ps, ProducerBatch batch)
    {
        if (!_settings.Idempotence || batch.IsSealed)
        {
            return;
        }

        if (ps.SequenceEpoch != _producerEpoch)
        {
            ps.SequenceEpoch = _producerEpoch;
            ps.NextSequence = 0;
        }

        batch.BaseSequence = ps.NextSequence;
        batch.ProducerEpoch = _producerEpoch;
        ps.NextSequence = NextSequence(ps.NextSequence, batch.Count);
    }

    /// <summary>Encodes (and compresses) a batch once, with its identity, before its first send.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void SealIfNeeded(ProducerBatch batch)
    {
        if (batch.IsSealed)
        {
            return;
        }

        if (_settings.Idempotence)
        {
            batch.Seal(_producerId, batch.ProducerEpoch, batch.BaseSequence, _settings.Compression, _settings.CompressionLevel);
        }
        else
        {
            batch.Seal(-1, -1, -1, _settings.Compression, _settings.CompressionLevel);
        }
    }

    /// <summary>Kafka's sequence arithmetic: wraps from int.MaxValue to 0.</summary>
    internal static int NextSequence(int sequence, int increment) =>
        sequence > int.MaxValue - increment ? increment - (int.MaxValue - sequence) - 1 : sequence + increment;

    private void FailEverythingQueued(ErrorCode error, string message)
    {
        foreach (TopicState topic in _accumulator.Topics)
        {
            foreach (PartitionState ps in Volatile.Read(ref topic.Partitions))
            {
                lock (ps.Lock)
                {
                    ps.CloseOpen();
                    while (ps.TryTakeReady(out ProducerBatch? batch))
                    {
                        _completions.TryWrite(Fail(batch, error, message, definitelyNotWritten: true));
                    }
                }
            }
        }
    }
}
