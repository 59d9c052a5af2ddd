namespace Samsa.Compression;

/// <summary>The errors codecs raise, worded alike.</summary>
internal static class CompressionErrors
{
    public static KafkaException Corrupt(CompressionType type, string detail, Exception? inner = null) =>
        new(ErrorCode.LocalBadCompression, $"Invalid {type.ToConfigName()} data: {detail}", inner);

    public static KafkaException TooLarge(CompressionType type, int maxOutputBytes) =>
        new(ErrorCode.LocalBadCompression,
            $"{type.ToConfigName()} data decompresses to more than the {maxOutputBytes} bytes allowed.");

    /// <summary>Throws <see cref="TooLarge"/> when <paramref name="produced"/> passes the limit.</summary>
    public static void CheckLimit(CompressionType type, long produced, int maxOutputBytes)
    {
        if (produced > maxOutputBytes)
        {
            throw TooLarge(type, maxOutputBytes);
        }
    }

    public static int ClampLevel(int level, int defaultLevel, int min, int max) =>
        level == -1 ? defaultLevel : Math.Clamp(level, min, max);
}
