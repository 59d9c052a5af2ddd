namespace Samsa.Native.Interop;

/// <summary>
/// The opaque pointers handed to C. A handle is not an address: it encodes a slot of this table, the slot's
/// generation and the object's kind (kind &lt;&lt; 56 | generation &lt;&lt; 32 | slot + 1). The slot holds a strong reference
/// to the object (what a normal GCHandle would), and freeing bumps the generation, so a stale handle (destroyed
/// twice, used after destroy, or of the wrong kind) is recognised and refused instead of reaching a freed or
/// different object. Generations wrap after 2^24 reuses of one slot.
/// </summary>
internal static class HandleTable
{
    private const int GenerationBits = 24;
    private const uint GenerationMask = (1u << GenerationBits) - 1;

    private static readonly object s_lock = new();
    private static Slot?[] s_slots = new Slot?[64];
    private static uint[] s_generations = new uint[64];
    private static readonly Stack<int> s_free = new();
    private static int s_used;

    /// <summary>Registers <paramref name="target"/> and returns its handle (never zero).</summary>
    public static nint Add(HandleKind kind, object target)
    {
        lock (s_lock)
        {
            int index;
            if (s_free.Count > 0)
            {
                index = s_free.Pop();
            }
            else
            {
                if (s_used == s_slots.Length)
                {
                    Array.Resize(ref s_generations, s_used * 2);
                    Slot?[] grown = new Slot?[s_used * 2];
                    Array.Copy(s_slots, grown, s_used);
                    Volatile.Write(ref s_slots, grown);
                }

                index = s_used++;
            }

            uint generation = s_generations[index] = (s_generations[index] + 1) & GenerationMask;
            Volatile.Write(ref s_slots[index], new Slot(target, kind, generation));
            return (nint)(((long)kind << 56) | ((long)generation << 32) | (uint)(index + 1));
        }
    }

    /// <summary>The live object behind <paramref name="handle"/> if it is of <paramref name="kind"/>; lock-free.</summary>
    public static T? Get<T>(nint handle, HandleKind kind)
        where T : class
    {
        if (!Decode(handle, kind, out int index, out uint generation))
        {
            return null;
        }

        Slot?[] slots = Volatile.Read(ref s_slots);
        if ((uint)index >= (uint)slots.Length)
        {
            return null;
        }

        Slot? slot = Volatile.Read(ref slots[index]);
        return slot is not null && slot.Generation == generation && slot.Kind == kind ? slot.Target as T : null;
    }

    /// <summary>Frees the handle and returns its object, or null when the handle is not live (already freed, or never valid).</summary>
    public static T? Remove<T>(nint handle, HandleKind kind)
        where T : class
    {
        if (!Decode(handle, kind, out int index, out uint generation))
        {
            return null;
        }

        lock (s_lock)
        {
            if (index >= s_used)
            {
                return null;
            }

            Slot? slot = s_slots[index];
            if (slot is null || slot.Generation != generation || slot.Kind != kind || slot.Target is not T target)
            {
                return null;
            }

            Volatile.Write(ref s_slots[index], null);
            s_free.Push(index);
            return target;
        }
    }

    private static bool Decode(nint handle, HandleKind kind, out int index, out uint generation)
    {
        long value = handle;
        index = (int)(uint)value - 1;
        generation = (uint)(value >> 32) & GenerationMask;
        return value > 0 && (byte)(value >> 56) == (byte)kind && index >= 0;
    }

    private sealed record Slot(object Target, HandleKind Kind, uint Generation);
}
