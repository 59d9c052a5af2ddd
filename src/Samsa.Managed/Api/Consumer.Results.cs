using System.Runtime.CompilerServices;
using Samsa.Protocol.Records;

namespace Samsa;

public sealed partial class Consumer<TKey, TValue>
{
    /// <summary>Deserializes a record into a result; the only allocations are the result, the message and what the deserializers make.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private ConsumeResult<TKey, TValue> ToResult(in ConsumedRecord record)
    {
        if (record.IsPartitionEof)
        {
            return new ConsumeResult<TKey, TValue>
            {
                Topic = record.Topic,
                Partition = record.Partition,
                Offset = record.Offset,
                IsPartitionEOF = true,
            };
        }

        Headers? headers = null;
        RecordHeaderList list = record.Headers;
        if (list.Count > 0)
        {
            headers = new Headers(list.Count);
            foreach (RecordHeaderView h in list)
            {
                headers.Add(new Header(h.GetKeyString(), h.ValueIsNull ? null : h.Value.ToArray()));
            }
        }

        TKey key = Deserialize(_keyDeserializer, record.Key.Span, record.KeyIsNull, MessageComponentType.Key, record, headers);
        TValue value = Deserialize(_valueDeserializer, record.Value.Span, record.ValueIsNull, MessageComponentType.Value, record, headers);
        return new ConsumeResult<TKey, TValue>
        {
            Topic = record.Topic,
            Partition = record.Partition,
            Offset = record.Offset,
            LeaderEpoch = record.LeaderEpoch,
            Message = new Message<TKey, TValue> { Key = key, Value = value, Headers = headers, Timestamp = record.Timestamp },
        };
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static T Deserialize<T>(IDeserializer<T> deserializer, ReadOnlySpan<byte> data, bool isNull, MessageComponentType component,
        in ConsumedRecord record, Headers? headers)
    {
        try
        {
            return deserializer.Deserialize(data, isNull, new SerializationContext(component, record.Topic, headers));
        }
#pragma warning disable CA1031 // A user deserializer may throw anything: it becomes a ConsumeException naming the record.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            ErrorCode code = ex is KafkaException k ? k.Error
                : component == MessageComponentType.Key ? ErrorCode.LocalKeyDeserialization : ErrorCode.LocalValueDeserialization;
            string what = component == MessageComponentType.Key ? "key" : "value";
            throw new ConsumeException(code, $"Deserializing the {what} of {record.TopicPartition} at offset {record.Offset} failed: {ex.Message}",
                record.TopicPartitionOffset, ex);
        }
    }

    // ---- IConsumerCallbacks: the application's handlers, on the poll thread ----

    IReadOnlyList<TopicPartitionOffset>? Consumer.IConsumerCallbacks.OnAssigned(IReadOnlyList<TopicPartition> partitions)
    {
        IEnumerable<TopicPartitionOffset>? offsets = AssignedHandler?.Invoke(this, partitions);
        return offsets is null ? null : [.. offsets];
    }

    void Consumer.IConsumerCallbacks.OnRevoked(IReadOnlyList<TopicPartitionOffset> partitions) => RevokedHandler?.Invoke(this, partitions);

    void Consumer.IConsumerCallbacks.OnLost(IReadOnlyList<TopicPartitionOffset> partitions) =>
        (LostHandler ?? RevokedHandler)?.Invoke(this, partitions);

    void Consumer.IConsumerCallbacks.OnError(KafkaException error) => ErrorHandler?.Invoke(this, error);
}
