using System.Buffers;
using System.Collections.Concurrent;
using System.Runtime.InteropServices;
using Samsa.Native.Abi;
using Samsa.Native.Interop;

namespace Samsa.Native.Clients;

/// <summary>
/// The samsa_message_t structs of one consumer. Each struct is paired for life with a <see cref="MessageSlot"/>
/// (its <c>reserved</c> field is a GCHandle to the slot), and both are reused: a steady stream of messages
/// allocates only the record's lease. A destroyed slot waits in a FIFO behind at least <see cref="Quarantine"/>
/// others before it is handed out again, so a second samsa_message_destroy() of the same message finds it dead
/// and is ignored (unless that many messages were destroyed in between). Key, value and header values point
/// into the record's fetch buffer, kept alive by <see cref="ConsumedRecord.Retain"/> and pinned while the C
/// side holds the message. Topic names point into the consumer's <see cref="TopicNames"/>, freed only once
/// the consumer is closed and every message destroyed.
/// </summary>
internal sealed unsafe class MessagePool
{
    public const int Quarantine = 256;
    private const int MaxFree = 4096;

    // Where a non-null empty key or value points (C tells NULL, a null key, from an empty one).
    private static readonly byte* s_empty = (byte*)NativeMemory.AllocZeroed(1);

    private readonly ConcurrentQueue<MessageSlot> _free = new();
    private readonly TopicNames _topics = new();
    private int _freeCount;
    private int _outstanding;
    private int _closed;

    /// <summary>Messages handed out and not yet destroyed.</summary>
    public int Outstanding => Volatile.Read(ref _outstanding);

    /// <summary>A message for a record: key, value and headers point into its retained, pinned buffer.</summary>
    public SamsaMessage* FromRecord(in ConsumedRecord record)
    {
        MessageSlot slot = Rent();
        try
        {
            SamsaMessage* m = slot.Message;
            m->Err = 0;
            m->Topic = Topic(slot, record.Topic);
            m->Partition = record.Partition;
            m->Offset = record.Offset;
            Timestamp timestamp = record.Timestamp;
            m->Timestamp = timestamp.UnixTimestampMs;
            m->TimestampType = (int)timestamp.Type;
            m->LeaderEpoch = record.LeaderEpoch;
            slot.Lease = record.Retain();
            ReadOnlyMemory<byte> key = record.Key;
            ReadOnlyMemory<byte> value = record.Value;
            m->Key = Pointer(slot, key, record.KeyIsNull);
            m->KeyLen = record.KeyIsNull ? 0 : (nuint)key.Length;
            m->Value = Pointer(slot, value, record.ValueIsNull);
            m->ValueLen = record.ValueIsNull ? 0 : (nuint)value.Length;
            FillHeaders(slot, record.Headers);
            return m;
        }
        catch
        {
            Return(slot);
            throw;
        }
    }

    /// <summary>An error event: err set, errstr describing it, topic/partition/offset where they apply.</summary>
    public SamsaMessage* FromError(int error, string text, string? topic, int partition, long offset)
    {
        MessageSlot slot = Rent();
        SamsaMessage* m = slot.Message;
        m->Err = error;
        m->Topic = topic is null ? null : Topic(slot, topic);
        m->Partition = partition;
        m->Offset = offset;
        m->LeaderEpoch = -1;
        m->TimestampType = (int)TimestampType.NotAvailable;
        slot.Errstr = Utf8.Allocate(text);
        m->Errstr = slot.Errstr;
        return m;
    }

    /// <summary>samsa_message_destroy: frees what the message holds; NULL or an already destroyed message is ignored.</summary>
    public static void Destroy(SamsaMessage* message)
    {
        if (message is null || message->Reserved is null)
        {
            return;
        }

        if (GCHandle.FromIntPtr((nint)message->Reserved).Target is not MessageSlot slot || slot.Message != message
            || Interlocked.Exchange(ref slot.Live, 0) == 0)
        {
            return; // destroyed twice
        }

        slot.Pool.Return(slot);
    }

    /// <summary>The consumer is closing: structs not in use are freed now, the others when destroyed.</summary>
    public void Close()
    {
        Volatile.Write(ref _closed, 1);
        Drain();
        if (Volatile.Read(ref _outstanding) == 0)
        {
            _topics.Dispose();
        }
    }

    private MessageSlot Rent()
    {
        MessageSlot? slot = null;
        if (Volatile.Read(ref _freeCount) > Quarantine && _free.TryDequeue(out slot))
        {
            Interlocked.Decrement(ref _freeCount);
        }

        slot ??= new MessageSlot(this);
        slot.Live = 1;
        Interlocked.Increment(ref _outstanding);
        return slot;
    }

    private void Return(MessageSlot slot)
    {
        if (slot.Pin.IsAllocated)
        {
            slot.Pin.Free(); // before the lease: releasing it may hand the array back to its pool
        }

        slot.PinnedArray = null;
        if (slot.PinnedManager is not null)
        {
            slot.ManagerPin.Dispose();
            slot.ManagerPin = default;
            slot.PinnedManager = null;
        }

        slot.Lease?.Dispose();
        slot.Lease = null;
        NativeMemory.Free(slot.Headers);
        slot.Headers = null;
        NativeMemory.Free(slot.Errstr);
        slot.Errstr = null;
        while (slot.Copies is not null)
        {
            byte* next = *(byte**)slot.Copies;
            NativeMemory.Free(slot.Copies);
            slot.Copies = next;
        }
        if (slot.TemporaryTopic)
        {
            NativeMemory.Free(slot.Message->Topic);
            slot.TemporaryTopic = false;
        }

        void* reserved = slot.Message->Reserved;
        *slot.Message = default;
        slot.Message->Reserved = reserved; // kept: a second destroy must still find the (dead) slot
        Interlocked.Decrement(ref _outstanding);
        if (Volatile.Read(ref _closed) != 0)
        {
            slot.Free();
            Drain();
            if (Volatile.Read(ref _outstanding) == 0)
            {
                _topics.Dispose();
            }

            return;
        }

        _free.Enqueue(slot);
        if (Interlocked.Increment(ref _freeCount) > MaxFree && _free.TryDequeue(out MessageSlot? oldest))
        {
            Interlocked.Decrement(ref _freeCount);
            oldest.Free();
        }
    }

    private void Drain()
    {
        while (_free.TryDequeue(out MessageSlot? slot))
        {
            Interlocked.Decrement(ref _freeCount);
            slot.Free();
        }
    }

    private byte* Topic(MessageSlot slot, string topic)
    {
        byte* p = _topics.ToUtf8(topic, out bool temporary);
        slot.TemporaryTopic = temporary;
        return p;
    }

    /// <summary>
    /// Where <paramref name="memory"/> is, for C: the fetch buffer's array is pinned once per message (key, value
    /// and headers share it); a native frame needs no pin. Memory of another buffer (never seen in practice) is
    /// copied instead.
    /// </summary>
    private static byte* Pointer(MessageSlot slot, ReadOnlyMemory<byte> memory, bool isNull)
    {
        if (isNull)
        {
            return null;
        }

        if (memory.Length == 0)
        {
            return s_empty;
        }

        if (MemoryMarshal.TryGetMemoryManager(memory, out MemoryManager<byte>? manager, out int start, out _))
        {
            // A native frame (large Fetch responses): its address is stable; pinning only hands it out.
            if (slot.PinnedManager is null && slot.PinnedArray is null)
            {
                slot.ManagerPin = manager.Pin();
                slot.PinnedManager = manager;
            }

            if (ReferenceEquals(slot.PinnedManager, manager))
            {
                return (byte*)slot.ManagerPin.Pointer + start;
            }
        }
        else if (MemoryMarshal.TryGetArray(memory, out ArraySegment<byte> segment) && segment.Array is { } array)
        {
            if (slot.PinnedArray is null && slot.PinnedManager is null)
            {
                slot.Pin = GCHandle.Alloc(array, GCHandleType.Pinned);
                slot.PinnedArray = array;
            }

            if (ReferenceEquals(slot.PinnedArray, array))
            {
                return (byte*)slot.Pin.AddrOfPinnedObject() + segment.Offset;
            }
        }

        return slot.Copy(memory.Span);
    }

    private static void FillHeaders(MessageSlot slot, Samsa.Protocol.Records.RecordHeaderList headers)
    {
        int count = headers.Count;
        if (count == 0)
        {
            return;
        }

        // One block: the header array, then the NUL-terminated names.
        nuint size = (nuint)(count * sizeof(SamsaHeader));
        foreach (Samsa.Protocol.Records.RecordHeaderView h in headers)
        {
            size += (nuint)h.Key.Length + 1;
        }

        byte* block = (byte*)NativeMemory.Alloc(size);
        slot.Headers = block;
        var array = (SamsaHeader*)block;
        byte* names = block + (count * sizeof(SamsaHeader));
        int i = 0;
        foreach (Samsa.Protocol.Records.RecordHeaderView h in headers)
        {
            ReadOnlySpan<byte> name = h.Key.Span;
            name.CopyTo(new Span<byte>(names, name.Length));
            names[name.Length] = 0;
            array[i].Name = names;
            names += name.Length + 1;
            array[i].Value = Pointer(slot, h.Value, h.ValueIsNull);
            array[i].ValueLen = h.ValueIsNull ? 0 : (nuint)h.Value.Length;
            i++;
        }

        slot.Message->Headers = array;
        slot.Message->HeaderCnt = (nuint)count;
    }
}

/// <summary>One samsa_message_t and what it holds while the C side has it.</summary>
internal sealed unsafe class MessageSlot
{
    public MessageSlot(MessagePool pool)
    {
        Pool = pool;
        Message = (SamsaMessage*)NativeMemory.AllocZeroed((nuint)sizeof(SamsaMessage));
        Self = GCHandle.Alloc(this);
        Message->Reserved = (void*)GCHandle.ToIntPtr(Self);
    }

    public MessagePool Pool { get; }

    public SamsaMessage* Message { get; }

    private GCHandle Self { get; }

    public int Live;

    public RecordLease? Lease;

    public GCHandle Pin;

    public byte[]? PinnedArray;

    // Or the native memory the message points into (a MemoryHandle that keeps nothing alive by itself: the lease does).
    public MemoryHandle ManagerPin;

    public MemoryManager<byte>? PinnedManager;

    public byte* Headers;

    public byte* Errstr;

    // Copies of bytes that were not in the pinned array, chained: each block starts with the previous one's address.
    public byte* Copies;

    public bool TemporaryTopic;

    public byte* Copy(ReadOnlySpan<byte> bytes)
    {
        byte* block = (byte*)NativeMemory.Alloc((nuint)(sizeof(nint) + bytes.Length));
        *(byte**)block = Copies;
        Copies = block;
        byte* data = block + sizeof(nint);
        bytes.CopyTo(new Span<byte>(data, bytes.Length));
        return data;
    }

    /// <summary>Frees the struct for good (the pool is closed, or holds enough).</summary>
    public void Free()
    {
        Self.Free();
        NativeMemory.Free(Message);
    }
}
