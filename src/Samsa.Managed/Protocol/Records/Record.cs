using System.Runtime.CompilerServices;

namespace Samsa.Protocol.Records;

/// <summary>
/// One record read from a batch. Key, value and headers are slices of the batch's (possibly decompressed)
/// records region, valid as long as that memory is. A null key or value (length -1 on the wire) is told apart
/// from an empty one by <see cref="KeyIsNull"/> / <see cref="ValueIsNull"/>.
/// </summary>
public readonly struct Record
{
    private readonly byte _flags;

    private const byte KeyNullFlag = 1;
    private const byte ValueNullFlag = 2;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal Record(
        long offset,
        long timestamp,
        byte attributes,
        ReadOnlyMemory<byte> key,
        bool keyIsNull,
        ReadOnlyMemory<byte> value,
        bool valueIsNull,
        ReadOnlyMemory<byte> headers,
        int headerCount)
    {
        Offset = offset;
        Timestamp = timestamp;
        Attributes = attributes;
        Key = key;
        Value = value;
        Headers = new RecordHeaderList(headers, headerCount);
        _flags = (byte)((keyIsNull ? KeyNullFlag : 0) | (valueIsNull ? ValueNullFlag : 0));
    }

    /// <summary>The record's offset in the partition (batch base offset + offset delta).</summary>
    public long Offset { get; }

    /// <summary>Milliseconds since the epoch: create time, or the batch's append time for log-append-time batches.</summary>
    public long Timestamp { get; }

    /// <summary>The record's attributes byte (unused by Kafka today).</summary>
    public byte Attributes { get; }

    /// <summary>The key bytes; empty when the key is null.</summary>
    public ReadOnlyMemory<byte> Key { get; }

    /// <summary>True when the key is null (length -1), as opposed to empty.</summary>
    public bool KeyIsNull => (_flags & KeyNullFlag) != 0;

    /// <summary>The value bytes; empty when the value is null.</summary>
    public ReadOnlyMemory<byte> Value { get; }

    /// <summary>True when the value is null (a tombstone), as opposed to empty.</summary>
    public bool ValueIsNull => (_flags & ValueNullFlag) != 0;

    /// <summary>The record's headers, enumerable without allocation.</summary>
    public RecordHeaderList Headers { get; }
}
