using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Samsa.Producer.Partitioning;

/// <summary>
/// CRC-32 (IEEE 802.3, reflected polynomial 0xEDB88320, as zlib and librdkafka's <c>rd_crc32</c>): the hash of
/// the <c>consistent</c> partitioners. The BCL has no public CRC-32 (System.IO.Hashing is a separate package),
/// and the x64 CRC32 instruction computes CRC-32C, a different polynomial; so this is table-driven,
/// slicing-by-8 (eight bytes per step, 8 KiB of tables).
/// </summary>
internal static class Crc32
{
    private const uint Polynomial = 0xEDB88320;

    // Table k (at offset k * 256) advances the CRC of a byte followed by k zero bytes.
    private static readonly uint[] Tables = BuildTables();

    /// <summary>The CRC-32 of <paramref name="data"/> (0 for empty input; 0xCBF43926 for "123456789").</summary>
    public static uint Compute(ReadOnlySpan<byte> data)
    {
        uint crc = ~0u;
        ref byte p = ref MemoryMarshal.GetReference(data);
        ref uint t = ref MemoryMarshal.GetArrayDataReference(Tables);
        nuint length = (nuint)data.Length;
        nuint i = 0;

        while (length - i >= 8)
        {
            uint one = ReadUInt32(ref p, i) ^ crc;
            uint two = ReadUInt32(ref p, i + 4);
            crc = Lookup(ref t, 7, one & 0xFF)
                ^ Lookup(ref t, 6, (one >> 8) & 0xFF)
                ^ Lookup(ref t, 5, (one >> 16) & 0xFF)
                ^ Lookup(ref t, 4, one >> 24)
                ^ Lookup(ref t, 3, two & 0xFF)
                ^ Lookup(ref t, 2, (two >> 8) & 0xFF)
                ^ Lookup(ref t, 1, (two >> 16) & 0xFF)
                ^ Lookup(ref t, 0, two >> 24);
            i += 8;
        }

        while (i < length)
        {
            crc = (crc >> 8) ^ Lookup(ref t, 0, (crc ^ Unsafe.Add(ref p, i)) & 0xFF);
            i++;
        }

        return ~crc;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static uint Lookup(ref uint tables, int table, uint index) =>
        Unsafe.Add(ref tables, (nuint)(table * 256) + index);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static uint ReadUInt32(ref byte p, nuint offset)
    {
        uint v = Unsafe.ReadUnaligned<uint>(ref Unsafe.Add(ref p, offset));
        return BitConverter.IsLittleEndian ? v : BinaryPrimitives.ReverseEndianness(v);
    }

    private static uint[] BuildTables()
    {
        uint[] tables = new uint[8 * 256];
        for (uint n = 0; n < 256; n++)
        {
            uint c = n;
            for (int bit = 0; bit < 8; bit++)
            {
                c = (c & 1) != 0 ? (c >> 1) ^ Polynomial : c >> 1;
            }

            tables[n] = c;
        }

        for (int k = 1; k < 8; k++)
        {
            for (int n = 0; n < 256; n++)
            {
                uint previous = tables[((k - 1) * 256) + n];
                tables[(k * 256) + n] = (previous >> 8) ^ tables[previous & 0xFF];
            }
        }

        return tables;
    }
}
