namespace Samsa.Compression;

/// <summary>
/// Choices for writing an LZ4 frame. Blocks are always written independent of each other (Kafka's Java client
/// cannot read linked blocks). The defaults (64 KiB blocks, no checksums, no content size) match the Java client.
/// </summary>
public readonly struct Lz4FrameOptions
{
    /// <summary>Creates options.</summary>
    public Lz4FrameOptions(int blockSizeId = 4, bool blockChecksum = false, bool contentChecksum = false, bool contentSize = false)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(blockSizeId, 4);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(blockSizeId, 7);
        BlockSizeId = blockSizeId;
        BlockChecksum = blockChecksum;
        ContentChecksum = contentChecksum;
        ContentSize = contentSize;
    }

    /// <summary>Maximum block size: 4 = 64 KiB, 5 = 256 KiB, 6 = 1 MiB, 7 = 4 MiB.</summary>
    public int BlockSizeId { get; }

    /// <summary>Write an xxHash32 after each block.</summary>
    public bool BlockChecksum { get; }

    /// <summary>Write an xxHash32 of the whole content after the end mark.</summary>
    public bool ContentChecksum { get; }

    /// <summary>Write the content size in the frame descriptor.</summary>
    public bool ContentSize { get; }

    internal int BlockMaxSize => Lz4Frame.BlockMaxSize(BlockSizeId == 0 ? 4 : BlockSizeId);
}
