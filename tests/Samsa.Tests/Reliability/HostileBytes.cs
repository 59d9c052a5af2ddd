using System.Buffers.Binary;

namespace Samsa.Tests.Reliability;

/// <summary>
/// Damage done to valid frames, as a hostile or broken peer would send them: cuts, flipped and overwritten bytes,
/// and huge or negative length prefixes planted where lengths and counts sit. Deterministic for a given seed, so
/// a failure names the seed that reproduces it.
/// </summary>
internal static class HostileBytes
{
    /// <summary>Lengths and counts a hostile peer would plant: 2^31-1, -2, 2^30, 2^16, and the like.</summary>
    private static readonly int[] HugeInts = [int.MaxValue, int.MinValue, -2, 0x40000000, 0x10000, 0x7FFF, 1_000_000];

    public static byte[] Mutate(byte[] source, int seed)
    {
        var random = new Random(seed);
        byte[] data = (byte[])source.Clone();
        int edits = random.Next(1, 4);
        for (int e = 0; e < edits && data.Length > 0; e++)
        {
            switch (random.Next(8))
            {
                case 0:
                    data[random.Next(data.Length)] ^= (byte)(1 << random.Next(8));
                    break;
                case 1:
                    data[random.Next(data.Length)] = (byte)random.Next(256);
                    break;
                case 2:
                    // A cut: the frame ends early.
                    data = data[..random.Next(data.Length)];
                    break;
                case 3:
                    // A big-endian INT32 or INT16 length/count where one might sit.
                    PlantInt(data, random);
                    break;
                case 4:
                    // A varint length/count (compact arrays, strings, tagged fields) of up to 2^32-1.
                    PlantVarint(data, random);
                    break;
                case 5:
                    data[random.Next(data.Length)] = random.Next(2) == 0 ? (byte)0xFF : (byte)0x80;
                    break;
                case 6:
                    // Bytes dropped from the middle: every later field shifts.
                    int from = random.Next(data.Length);
                    int count = Math.Min(random.Next(1, 5), data.Length - from);
                    data = [.. data.AsSpan(0, from), .. data.AsSpan(from + count)];
                    break;
                default:
                    // Garbage appended or inserted.
                    int at = random.Next(data.Length + 1);
                    byte[] junk = new byte[random.Next(1, 9)];
                    random.NextBytes(junk);
                    data = [.. data.AsSpan(0, at), .. junk, .. data.AsSpan(at)];
                    break;
            }
        }

        return data;
    }

    public static byte[] Random(int seed, int maxLength)
    {
        var random = new Random(seed);
        byte[] data = new byte[random.Next(maxLength + 1)];
        random.NextBytes(data);
        return data;
    }

    private static void PlantInt(byte[] data, Random random)
    {
        int value = HugeInts[random.Next(HugeInts.Length)];
        if (random.Next(2) == 0 && data.Length >= 4)
        {
            BinaryPrimitives.WriteInt32BigEndian(data.AsSpan(random.Next(data.Length - 3)), value);
        }
        else if (data.Length >= 2)
        {
            BinaryPrimitives.WriteInt16BigEndian(data.AsSpan(random.Next(data.Length - 1)), (short)value);
        }
    }

    private static void PlantVarint(byte[] data, Random random)
    {
        ReadOnlySpan<byte> huge = random.Next(3) switch
        {
            0 => [0xFF, 0xFF, 0xFF, 0xFF, 0x0F], // 2^32-1
            1 => [0xFF, 0xFF, 0xFF, 0xFF, 0x07], // 2^31-1
            _ => [0x80, 0x80, 0x80, 0x04],        // 2^23
        };
        int at = random.Next(data.Length);
        int n = Math.Min(huge.Length, data.Length - at);
        huge[..n].CopyTo(data.AsSpan(at));
    }
}
