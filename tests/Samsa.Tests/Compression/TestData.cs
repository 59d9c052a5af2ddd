namespace Samsa.Tests.Compression;

/// <summary>Inputs for codec tests, and the files made with the lz4, zstd and gzip command-line tools.</summary>
internal static class TestData
{
    /// <summary>
    /// The content of every file under TestData: a 1 KiB block of LCG bytes repeated, so that LZ4 linked blocks
    /// refer back across block boundaries. The generator is the one the files were made from.
    /// </summary>
    public static byte[] Repeating(int length, int seed)
    {
        byte[] block = new byte[1024];
        uint x = (uint)seed;
        for (int i = 0; i < block.Length; i++)
        {
            x = ((x * 1103515245) + 12345) & 0x7FFFFFFF;
            block[i] = (byte)(x >> 16);
        }

        byte[] data = new byte[length];
        for (int i = 0; i < length; i++)
        {
            data[i] = block[i % 1024];
        }

        return data;
    }

    /// <summary>The 200 000 bytes every file under TestData decompresses to.</summary>
    public static byte[] FileContent => Repeating(200_000, 7);

    public static byte[] File(string name) =>
        System.IO.File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "Compression", "TestData", name));

    /// <summary>Text-like compressible bytes.</summary>
    public static byte[] Text(int length)
    {
        var random = new Random(length);
        string[] words = ["kafka", "record", "batch", "offset", "partition", "leader", "epoch", "producer", "the", "a"];
        var sb = new System.Text.StringBuilder();
        while (sb.Length < length)
        {
            sb.Append(words[random.Next(words.Length)]).Append(random.Next(10) == 0 ? '\n' : ' ');
        }

        return System.Text.Encoding.ASCII.GetBytes(sb.ToString(0, length));
    }

    public static byte[] Random(int length)
    {
        byte[] data = new byte[length];
        new Random(length + 1).NextBytes(data);
        return data;
    }
}
