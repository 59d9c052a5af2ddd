using System.Collections.Concurrent;
using Samsa.Cluster;

namespace Samsa.Producer;

/// <summary>
/// TLS and SASL failures (wrong password, unknown CA, refused certificate...) do not heal by retrying: the work
/// that waits for the failing broker is failed with the security error at once, so that the application sees
/// the reason instead of a delivery timeout. Connections still retry after the reconnect backoff, so messages
/// produced after the problem is fixed go through.
/// </summary>
internal sealed partial class ProducerSender
{
    private readonly ConcurrentQueue<(int NodeId, KafkaException Error)> _securityFailures = new();

    private void OnSecurityFailure(int nodeId, KafkaException error)
    {
        _securityFailures.Enqueue((nodeId, error));
        Wake();
    }

    /// <summary>
    /// Fails the messages still waiting for topic metadata (it cannot arrive while connections fail their set-up)
    /// and the queued batches of the partitions the failing broker leads.
    /// </summary>
    private void HandleSecurityFailures(ClusterMetadata metadata)
    {
        while (_securityFailures.TryDequeue(out (int NodeId, KafkaException Error) failure))
        {
            ErrorCode code = failure.Error.Error;
            string reason = failure.Error.Reason;
            foreach (TopicState topic in _accumulator.Topics)
            {
                if (topic.PartitionCount == 0)
                {
                    lock (topic.Lock)
                    {
                        while (topic.Pending.Count > 0)
                        {
                            PendingMessage message = topic.Pending.DequeueForFailure();
                            _completions.TryWrite(new Completion(null, message, topic.Name, message.Partition, code, reason, -1, -1, PersistenceStatus.NotPersisted));
                        }

                        Volatile.Write(ref topic.PendingCount, 0);
                    }

                    continue;
                }

                foreach (PartitionState ps in Volatile.Read(ref topic.Partitions))
                {
                    if (metadata.LeaderOf(ps.Topic, ps.Partition) != failure.NodeId)
                    {
                        continue;
                    }

                    lock (ps.Lock)
                    {
                        ps.CloseOpen();
                        while (ps.TryTakeReady(out ProducerBatch? batch))
                        {
                            if (_settings.Idempotence && batch.BaseSequence >= 0)
                            {
                                RequestEpochBump($"a batch for {ps} failed with {code.Name()}");
                            }

                            _completions.TryWrite(Fail(batch, code, reason, definitelyNotWritten: batch.Attempts == 0));
                        }
                    }
                }
            }
        }
    }
}
