namespace Samsa.Compression;

/// <summary>Record batch compression codecs, numbered as Kafka numbers them in the batch attributes.</summary>
public enum CompressionType
{
    /// <summary>No compression.</summary>
    None = 0,

    /// <summary>gzip (RFC 1952), levels 0-9.</summary>
    Gzip = 1,

    /// <summary>Snappy; written with xerial framing as the Java client writes it.</summary>
    Snappy = 2,

    /// <summary>LZ4 frame format; levels 0-2 fast, 3-12 high compression.</summary>
    Lz4 = 3,

    /// <summary>Zstandard, levels 1-22 (and negative fast levels).</summary>
    Zstd = 4,
}

/// <summary>Names of <see cref="CompressionType"/> as configuration spells them (librdkafka and the Java client).</summary>
public static class CompressionTypes
{
    /// <summary>The configuration name: "none", "gzip", "snappy", "lz4" or "zstd".</summary>
    public static string ToConfigName(this CompressionType type) => type switch
    {
        CompressionType.None => "none",
        CompressionType.Gzip => "gzip",
        CompressionType.Snappy => "snappy",
        CompressionType.Lz4 => "lz4",
        CompressionType.Zstd => "zstd",
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, "Unknown compression type."),
    };

    /// <summary>Parses a configuration name, ignoring case and surrounding blanks.</summary>
    public static bool TryParse(ReadOnlySpan<char> name, out CompressionType type)
    {
        name = name.Trim();
        if (name.Equals("none", StringComparison.OrdinalIgnoreCase))
        {
            type = CompressionType.None;
        }
        else if (name.Equals("gzip", StringComparison.OrdinalIgnoreCase))
        {
            type = CompressionType.Gzip;
        }
        else if (name.Equals("snappy", StringComparison.OrdinalIgnoreCase))
        {
            type = CompressionType.Snappy;
        }
        else if (name.Equals("lz4", StringComparison.OrdinalIgnoreCase))
        {
            type = CompressionType.Lz4;
        }
        else if (name.Equals("zstd", StringComparison.OrdinalIgnoreCase))
        {
            type = CompressionType.Zstd;
        }
        else
        {
            type = CompressionType.None;
            return false;
        }

        return true;
    }

    /// <summary>Parses a configuration name or throws a <see cref="ConfigException"/> naming the accepted values.</summary>
    public static CompressionType Parse(string value, string property = "compression.type")
    {
        ArgumentNullException.ThrowIfNull(value);
        if (TryParse(value, out CompressionType type))
        {
            return type;
        }

        throw new ConfigException(property, value, $"Invalid value \"{value}\" for {property}: expected none, gzip, snappy, lz4 or zstd.");
    }

    /// <summary>The codec behind a batch attributes' codec id, or a <see cref="KafkaException"/> for ids 5-7.</summary>
    public static CompressionType FromCodecId(int codecId) => codecId switch
    {
        >= 0 and <= 4 => (CompressionType)codecId,
        _ => throw new KafkaException(ErrorCode.LocalBadCompression, $"Unknown compression codec id {codecId} in a record batch."),
    };
}
