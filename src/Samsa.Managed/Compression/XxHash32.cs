using System.Buffers.Binary;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Samsa.Compression;

/// <summary>
/// xxHash32, the checksum of the LZ4 frame format (header, block and content checksums). One-shot through
/// <see cref="Hash"/>, or incremental through an instance: <see cref="Append"/> any number of times, then
/// <see cref="GetDigest"/>.
/// </summary>
public struct XxHash32
{
    private const uint Prime1 = 2654435761U;
    private const uint Prime2 = 2246822519U;
    private const uint Prime3 = 3266489917U;
    private const uint Prime4 = 668265263U;
    private const uint Prime5 = 374761393U;
    private const int StripeSize = 16;

    private readonly uint _seed;
    private uint _v1;
    private uint _v2;
    private uint _v3;
    private uint _v4;
    private long _length;
    private Stripe _pending;
    private int _pendingCount;

    [InlineArray(StripeSize)]
    private struct Stripe
    {
        private byte _element0;
    }

    /// <summary>Starts an incremental hash with seed 0.</summary>
    public XxHash32()
        : this(0)
    {
    }

    /// <summary>Starts an incremental hash.</summary>
    public XxHash32(uint seed)
    {
        _seed = seed;
        _v1 = seed + Prime1 + Prime2;
        _v2 = seed + Prime2;
        _v3 = seed;
        _v4 = seed - Prime1;
        _length = 0;
        _pending = default;
        _pendingCount = 0;
    }

    /// <summary>The xxHash32 of <paramref name="data"/>.</summary>
    public static uint Hash(ReadOnlySpan<byte> data, uint seed = 0)
    {
        uint h;
        int consumed = 0;
        if (data.Length >= StripeSize)
        {
            uint v1 = seed + Prime1 + Prime2, v2 = seed + Prime2, v3 = seed, v4 = seed - Prime1;
            consumed = Stripes(data, ref v1, ref v2, ref v3, ref v4);
            h = Converge(v1, v2, v3, v4);
        }
        else
        {
            h = seed + Prime5;
        }

        h += (uint)data.Length;
        return Finish(h, data[consumed..]);
    }

    /// <summary>Adds bytes to an incremental hash.</summary>
    public void Append(ReadOnlySpan<byte> data)
    {
        _length += data.Length;
        Span<byte> pending = _pending;
        if (_pendingCount > 0)
        {
            int take = Math.Min(StripeSize - _pendingCount, data.Length);
            data[..take].CopyTo(pending[_pendingCount..]);
            _pendingCount += take;
            data = data[take..];
            if (_pendingCount < StripeSize)
            {
                return;
            }

            Stripes(pending, ref _v1, ref _v2, ref _v3, ref _v4);
            _pendingCount = 0;
        }

        int consumed = Stripes(data, ref _v1, ref _v2, ref _v3, ref _v4);
        data[consumed..].CopyTo(pending);
        _pendingCount = data.Length - consumed;
    }

    /// <summary>The hash of everything appended so far.</summary>
    public readonly uint GetDigest()
    {
        uint h = _length >= StripeSize ? Converge(_v1, _v2, _v3, _v4) : _seed + Prime5;
        h += (uint)_length;
        Stripe copy = _pending;
        return Finish(h, ((ReadOnlySpan<byte>)copy)[.._pendingCount]);
    }

    private static int Stripes(ReadOnlySpan<byte> data, ref uint v1, ref uint v2, ref uint v3, ref uint v4)
    {
        // Unchecked reads: the loop bound keeps every read inside the span.
        ref byte p = ref MemoryMarshal.GetReference(data);
        nuint length = (nuint)data.Length;
        nuint i = 0;
        uint a = v1, b = v2, c = v3, d = v4;
        for (; length - i >= StripeSize; i += StripeSize)
        {
            a = Round(a, ReadLane(ref p, i));
            b = Round(b, ReadLane(ref p, i + 4));
            c = Round(c, ReadLane(ref p, i + 8));
            d = Round(d, ReadLane(ref p, i + 12));
        }

        v1 = a;
        v2 = b;
        v3 = c;
        v4 = d;
        return (int)i;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static uint ReadLane(ref byte p, nuint offset)
    {
        uint v = Unsafe.ReadUnaligned<uint>(ref Unsafe.Add(ref p, offset));
        return BitConverter.IsLittleEndian ? v : BinaryPrimitives.ReverseEndianness(v);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static uint Round(uint acc, uint input) => BitOperations.RotateLeft(acc + (input * Prime2), 13) * Prime1;

    private static uint Converge(uint v1, uint v2, uint v3, uint v4) =>
        BitOperations.RotateLeft(v1, 1) + BitOperations.RotateLeft(v2, 7) + BitOperations.RotateLeft(v3, 12) + BitOperations.RotateLeft(v4, 18);

    private static uint Finish(uint h, ReadOnlySpan<byte> tail)
    {
        int i = 0;
        for (; tail.Length - i >= 4; i += 4)
        {
            h += BinaryPrimitives.ReadUInt32LittleEndian(tail[i..]) * Prime3;
            h = BitOperations.RotateLeft(h, 17) * Prime4;
        }

        for (; i < tail.Length; i++)
        {
            h += tail[i] * Prime5;
            h = BitOperations.RotateLeft(h, 11) * Prime1;
        }

        h ^= h >> 15;
        h *= Prime2;
        h ^= h >> 13;
        h *= Prime3;
        h ^= h >> 16;
        return h;
    }
}
