using System.Runtime.CompilerServices;
using Samsa.Consumer;
using Samsa.Protocol.Records;

namespace Samsa;

/// <summary>
/// A record as fetched, without copying or deserializing: key, value and headers point into the consumer's
/// pooled fetch buffers. Valid until the next consume call on the same consumer (or its close); call
/// <see cref="Retain"/> before then to keep the memory for longer. Reading a record allocates nothing.
/// When <see cref="IsPartitionEof"/> is true the record is an end-of-partition event and carries no data.
/// </summary>
public readonly struct ConsumedRecord
{
    private readonly Record _record;
    private readonly FetchBuffer? _owner;
    private readonly TimestampType _timestampType;
    private readonly bool _eof;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal ConsumedRecord(string topic, int partition, in Record record, int leaderEpoch, TimestampType timestampType, FetchBuffer? owner)
    {
        Topic = topic;
        Partition = partition;
        _record = record;
        Offset = record.Offset;
        LeaderEpoch = leaderEpoch;
        _timestampType = timestampType;
        _owner = owner;
        _eof = false;
    }

    private ConsumedRecord(string topic, int partition, long offset)
    {
        Topic = topic;
        Partition = partition;
        Offset = offset;
        LeaderEpoch = -1;
        _record = default;
        _owner = null;
        _timestampType = TimestampType.NotAvailable;
        _eof = true;
    }

    internal static ConsumedRecord EndOfPartition(string topic, int partition, long offset) => new(topic, partition, offset);

    public string Topic { get; }

    public int Partition { get; }

    /// <summary>The record's offset; for an end-of-partition event, the offset the partition ends at.</summary>
    public long Offset { get; }

    /// <summary>The leader epoch the record was written in (-1 when unknown).</summary>
    public int LeaderEpoch { get; }

    /// <summary>True for an end-of-partition event (enable.partition.eof): no key, value or headers.</summary>
    public bool IsPartitionEof => _eof;

    public Timestamp Timestamp => new(_record.Timestamp, _timestampType);

    /// <summary>The key bytes (empty when the key is null).</summary>
    public ReadOnlyMemory<byte> Key => _record.Key;

    public bool KeyIsNull => _eof || _record.KeyIsNull;

    /// <summary>The value bytes (empty when the value is null).</summary>
    public ReadOnlyMemory<byte> Value => _record.Value;

    public bool ValueIsNull => _eof || _record.ValueIsNull;

    /// <summary>The headers, enumerable without allocation; each header's key and value point into the buffer too.</summary>
    public RecordHeaderList Headers => _record.Headers;

    public TopicPartition TopicPartition => new(Topic, Partition);

    public TopicPartitionOffset TopicPartitionOffset => new(Topic, Partition, Offset, LeaderEpoch);

    /// <summary>
    /// Keeps this record's memory (and so its key, value and headers) valid until the returned lease is
    /// disposed, beyond the next consume call. Retained memory is the application's: it no longer counts against
    /// queued.max.messages.kbytes once the consumer has moved past it (so kept records never stop the fetching),
    /// but it pins the whole fetched frame or batch the record lies in, so release leases promptly or copy what
    /// you keep. An end-of-partition event has no memory: its lease does nothing.
    /// </summary>
    /// <exception cref="ObjectDisposedException">The record's memory was already released (it is used after it expired).</exception>
    public RecordLease Retain()
    {
        _owner?.RetainLease();
        return new RecordLease(_owner);
    }
}

/// <summary>Keeps the memory of a retained <see cref="ConsumedRecord"/> alive until disposed (once; later calls do nothing).</summary>
public sealed class RecordLease : IDisposable
{
    private FetchBuffer? _buffer;

    internal RecordLease(FetchBuffer? buffer)
    {
        _buffer = buffer;
    }

    public void Dispose() => Interlocked.Exchange(ref _buffer, null)?.ReleaseLease();
}
