using System.Buffers;
using System.Runtime.CompilerServices;
using Samsa.Protocol.Records;

namespace Samsa.Producer;

/// <summary>
/// The messages of one topic that arrived before its metadata, in arrival order. Their bytes are copied into
/// pooled chunks shared by many messages and their details into segments of structs, so parking costs no
/// object per message (a producer that starts producing at once parks up to queue.buffering.max.messages of
/// them: one object and two arrays each made the GC copy them all when they survived into the next
/// generation). Not thread-safe: guarded by the topic's lock.
/// </summary>
internal sealed class PendingQueue
{
    private const int SegmentEntries = 1024;
    private const int ChunkBytes = 128 * 1024;

    private Segment? _head;
    private Segment? _tail;
    private Segment? _spare;

    public int Count { get; private set; }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Enqueue(int partition, ReadOnlySpan<byte> key, bool keyIsNull, ReadOnlySpan<byte> value, bool valueIsNull,
        ReadOnlySpan<RecordHeader> headers, long timestamp, object? callback, object? state, long enqueuedAt, long accountedBytes)
    {
        int bytes = (keyIsNull ? 0 : key.Length) + (valueIsNull ? 0 : value.Length);
        Segment tail = _tail is { } t && t.Fits(bytes) ? t : Append(bytes);
        ref Entry e = ref tail.Entries[tail.End++];
        e.Partition = partition;
        e.KeyLength = keyIsNull ? -1 : key.Length;
        e.ValueLength = valueIsNull ? -1 : value.Length;
        e.DataOffset = tail.DataUsed;
        if (!keyIsNull)
        {
            key.CopyTo(tail.Data.AsSpan(tail.DataUsed));
            tail.DataUsed += key.Length;
        }

        if (!valueIsNull)
        {
            value.CopyTo(tail.Data.AsSpan(tail.DataUsed));
            tail.DataUsed += value.Length;
        }

        e.Headers = headers.IsEmpty ? null : CopyHeaders(headers);
        e.Timestamp = timestamp;
        e.Callback = callback;
        e.State = state;
        e.EnqueuedAt = enqueuedAt;
        e.AccountedBytes = accountedBytes;
        Count++;
    }

    /// <summary>The oldest message, its bytes valid until it is dequeued.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public bool TryPeek(out PendingRecord record)
    {
        if (Count == 0)
        {
            record = default;
            return false;
        }

        Segment s = _head!;
        ref Entry e = ref s.Entries[s.Start];
        int offset = e.DataOffset;
        ReadOnlySpan<byte> key = e.KeyLength > 0 ? s.Data.AsSpan(offset, e.KeyLength) : default;
        offset += Math.Max(0, e.KeyLength);
        ReadOnlySpan<byte> value = e.ValueLength > 0 ? s.Data.AsSpan(offset, e.ValueLength) : default;
        record = new PendingRecord(e.Partition, key, e.KeyLength < 0, value, e.ValueLength < 0, e.Headers ?? [],
            e.Timestamp, e.Callback, e.State, e.EnqueuedAt, e.AccountedBytes);
        return true;
    }

    /// <summary>Removes the oldest message (after <see cref="TryPeek"/>).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Dequeue()
    {
        Segment s = _head!;
        s.Entries[s.Start++] = default;
        Count--;
        if (s.Start < s.End)
        {
            return;
        }

        // The segment is used up: its chunk goes back to the pool; an empty queue keeps nothing.
        _head = s.Next;
        s.Release();
        if (_head is null)
        {
            _tail = null;
            _spare = null;
        }
        else
        {
            _spare ??= s;
        }
    }

    /// <summary>Removes the oldest message and returns what its failure report needs (failures only: allocates).</summary>
    public PendingMessage DequeueForFailure()
    {
        ref Entry e = ref _head!.Entries[_head.Start];
        var message = new PendingMessage(e.Partition, e.Timestamp, e.Callback, e.State, e.AccountedBytes);
        Dequeue();
        return message;
    }

    private Segment Append(int bytes)
    {
        Segment s = _spare ?? new Segment();
        _spare = null;
        s.Rent(bytes);
        if (_tail is null)
        {
            _head = s;
        }
        else
        {
            _tail.Next = s;
        }

        _tail = s;
        return s;
    }

    /// <summary>Deep-copies headers: the caller's buffers (C memory, pooled arrays) are not ours to keep.</summary>
    private static RecordHeader[] CopyHeaders(ReadOnlySpan<RecordHeader> headers)
    {
        var copy = new RecordHeader[headers.Length];
        for (int i = 0; i < headers.Length; i++)
        {
            RecordHeader h = headers[i];
            ReadOnlyMemory<byte> value = h.ValueIsNull ? default : h.Value.ToArray();
            copy[i] = h.Key is { } key
                ? new RecordHeader(key, value, h.ValueIsNull)
                : RecordHeader.FromUtf8(h.KeyUtf8.ToArray(), value, h.ValueIsNull);
        }

        return copy;
    }

    private struct Entry
    {
        public RecordHeader[]? Headers;
        public object? Callback;
        public object? State;
        public long Timestamp;
        public long EnqueuedAt;
        public long AccountedBytes;
        public int Partition;
        public int DataOffset;
        public int KeyLength;
        public int ValueLength;
    }

    /// <summary>Up to <see cref="SegmentEntries"/> messages and one pooled chunk holding their bytes.</summary>
    private sealed class Segment
    {
        public readonly Entry[] Entries = new Entry[SegmentEntries];
        public byte[] Data = [];
        public int DataUsed;
        public int Start;
        public int End;
        public Segment? Next;

        public bool Fits(int bytes) => End < SegmentEntries && Data.Length - DataUsed >= bytes;

        public void Rent(int bytes) => Data = ArrayPool<byte>.Shared.Rent(Math.Max(ChunkBytes, bytes));

        public void Release()
        {
            Entries.AsSpan(Start, End - Start).Clear();
            if (Data.Length > 0)
            {
                ArrayPool<byte>.Shared.Return(Data);
            }

            Data = [];
            Next = null;
            DataUsed = 0;
            Start = 0;
            End = 0;
        }
    }
}

/// <summary>A parked message as <see cref="PendingQueue.TryPeek"/> shows it; the spans point into the queue's chunks.</summary>
internal readonly ref struct PendingRecord(int partition, ReadOnlySpan<byte> key, bool keyIsNull, ReadOnlySpan<byte> value, bool valueIsNull,
    ReadOnlySpan<RecordHeader> headers, long timestamp, object? callback, object? state, long enqueuedAt, long accountedBytes)
{
    public readonly int Partition = partition;
    public readonly ReadOnlySpan<byte> Key = key;
    public readonly bool KeyIsNull = keyIsNull;
    public readonly ReadOnlySpan<byte> Value = value;
    public readonly bool ValueIsNull = valueIsNull;
    public readonly ReadOnlySpan<RecordHeader> Headers = headers;
    public readonly long Timestamp = timestamp;
    public readonly object? Callback = callback;
    public readonly object? State = state;
    public readonly long EnqueuedAt = enqueuedAt;
    public readonly long AccountedBytes = accountedBytes;
}
