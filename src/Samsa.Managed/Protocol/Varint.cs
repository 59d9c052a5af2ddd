using System.Runtime.CompilerServices;

namespace Samsa.Protocol;

/// <summary>
/// Span-level varint codecs: unsigned LEB128 (Kafka's UNSIGNED_VARINT) and zig-zag signed VARINT/VARLONG
/// as used by flexible-version lengths and by the fields inside record batches.
/// </summary>
public static class Varint
{
    /// <summary>Largest encoding of a 32-bit varint.</summary>
    public const int MaxLength32 = 5;

    /// <summary>Largest encoding of a 64-bit varint.</summary>
    public const int MaxLength64 = 10;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int SizeOfUnsigned(uint value) => value switch
    {
        < 1u << 7 => 1,
        < 1u << 14 => 2,
        < 1u << 21 => 3,
        < 1u << 28 => 4,
        _ => 5,
    };

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int SizeOfUnsigned(ulong value)
    {
        int bits = 64 - System.Numerics.BitOperations.LeadingZeroCount(value | 1);
        return (bits + 6) / 7;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int SizeOf(int value) => SizeOfUnsigned(ZigZag(value));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int SizeOf(long value) => SizeOfUnsigned(ZigZag(value));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static uint ZigZag(int value) => (uint)((value << 1) ^ (value >> 31));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong ZigZag(long value) => (ulong)((value << 1) ^ (value >> 63));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int UnZigZag(uint value) => (int)(value >> 1) ^ -(int)(value & 1);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static long UnZigZag(ulong value) => (long)(value >> 1) ^ -(long)(value & 1);

    /// <summary>Writes an unsigned varint; the destination must hold <see cref="SizeOfUnsigned(uint)"/> bytes.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int WriteUnsigned(Span<byte> destination, uint value)
    {
        if (value < 0x80 && destination.Length > 0)
        {
            destination[0] = (byte)value;
            return 1;
        }

        return WriteUnsignedSlow(destination, value);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static int WriteUnsignedSlow(Span<byte> destination, uint value)
    {
        int i = 0;
        while (value >= 0x80)
        {
            destination[i++] = (byte)(value | 0x80);
            value >>= 7;
        }

        destination[i++] = (byte)value;
        return i;
    }

    /// <summary>Writes an unsigned 64-bit varint.</summary>
    public static int WriteUnsigned(Span<byte> destination, ulong value)
    {
        int i = 0;
        while (value >= 0x80)
        {
            destination[i++] = (byte)(value | 0x80);
            value >>= 7;
        }

        destination[i++] = (byte)value;
        return i;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int Write(Span<byte> destination, int value) => WriteUnsigned(destination, ZigZag(value));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int Write(Span<byte> destination, long value) => WriteUnsigned(destination, ZigZag(value));

    /// <summary>
    /// Reads an unsigned 32-bit varint. Returns the number of bytes consumed, or 0 when the source ends
    /// before the varint does, or -1 when it is longer than 5 bytes or overflows 32 bits.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int TryReadUnsigned(ReadOnlySpan<byte> source, out uint value)
    {
        if (source.Length > 0 && source[0] < 0x80)
        {
            value = source[0];
            return 1;
        }

        return TryReadUnsignedSlow(source, out value);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static int TryReadUnsignedSlow(ReadOnlySpan<byte> source, out uint value)
    {
        int read = TryReadBits(source, MaxLength32, lastByteMax: 0x0F, out ulong result);
        value = (uint)result;
        return read;
    }

    /// <summary>Reads an unsigned 64-bit varint; same return convention as the 32-bit form.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static int TryReadUnsigned(ReadOnlySpan<byte> source, out ulong value) =>
        TryReadBits(source, MaxLength64, lastByteMax: 0x01, out value);

    /// <summary>
    /// The shared varint loop: at most <paramref name="maxLength"/> bytes, the last of which may carry no more than
    /// <paramref name="lastByteMax"/> (the bits left in the target width); 0 when more bytes are needed, -1 when malformed.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static int TryReadBits(ReadOnlySpan<byte> source, int maxLength, uint lastByteMax, out ulong value)
    {
        ulong result = 0;
        for (int i = 0; i < maxLength; i++)
        {
            if (i >= source.Length)
            {
                value = 0;
                return 0;
            }

            uint b = source[i];
            if (i == maxLength - 1 && b > lastByteMax)
            {
                value = 0;
                return -1;
            }

            result |= (ulong)(b & 0x7F) << (7 * i);
            if (b < 0x80)
            {
                value = result;
                return i + 1;
            }
        }

        value = 0;
        return -1;
    }

    /// <summary>Reads a zig-zag varint (int32); same return convention as <see cref="TryReadUnsigned(ReadOnlySpan{byte}, out uint)"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int TryRead(ReadOnlySpan<byte> source, out int value)
    {
        int n = TryReadUnsigned(source, out uint raw);
        value = UnZigZag(raw);
        return n;
    }

    /// <summary>Reads a zig-zag varlong (int64).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static int TryRead(ReadOnlySpan<byte> source, out long value)
    {
        if (source.Length > 0 && source[0] < 0x80)
        {
            value = UnZigZag((ulong)source[0]);
            return 1;
        }

        int n = TryReadUnsigned(source, out ulong raw);
        value = UnZigZag(raw);
        return n;
    }
}
