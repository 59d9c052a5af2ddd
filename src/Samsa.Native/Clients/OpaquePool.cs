using System.Collections.Concurrent;

namespace Samsa.Native.Clients;

/// <summary>
/// The producer's per-message state is an object; a C msg_opaque is a pointer. Boxes are reused so that a
/// steady stream of messages with an opaque allocates nothing (messages without one need no box at all).
/// </summary>
internal sealed class OpaquePool
{
    private const int MaxPooled = 65_536;

    private readonly ConcurrentQueue<OpaqueBox> _free = new();
    private int _count;

    public unsafe OpaqueBox Rent(void* value)
    {
        if (_free.TryDequeue(out OpaqueBox? box))
        {
            Interlocked.Decrement(ref _count);
        }
        else
        {
            box = new OpaqueBox();
        }

        box.Value = (nint)value;
        return box;
    }

    public void Return(OpaqueBox box)
    {
        box.Value = 0;
        if (Interlocked.Increment(ref _count) <= MaxPooled)
        {
            _free.Enqueue(box);
        }
        else
        {
            Interlocked.Decrement(ref _count);
        }
    }
}

internal sealed class OpaqueBox
{
    public nint Value;
}
