namespace Samsa;

/// <summary>The kinds of resource that have configurations (Kafka's resource type codes).</summary>
public enum ConfigResourceType : sbyte
{
    Unknown = 0,
    Topic = 2,
    Broker = 4,
    BrokerLogger = 8,
    ClientMetrics = 16,
    Group = 32,
}

/// <summary>Where a configuration value comes from (DescribeConfigs v1+).</summary>
public enum ConfigSource : sbyte
{
    Unknown = 0,
    DynamicTopicConfig = 1,
    DynamicBrokerConfig = 2,
    DynamicDefaultBrokerConfig = 3,
    StaticBrokerConfig = 4,
    DefaultConfig = 5,
    DynamicBrokerLoggerConfig = 6,
    ClientMetricsConfig = 7,
    GroupConfig = 8,
}

/// <summary>What an incremental alteration does to a configuration entry.</summary>
public enum AlterConfigOperation : sbyte
{
    /// <summary>Set the value.</summary>
    Set = 0,

    /// <summary>Remove the entry (back to its default).</summary>
    Delete = 1,

    /// <summary>Add the value to a list-typed entry.</summary>
    Append = 2,

    /// <summary>Remove the value from a list-typed entry.</summary>
    Subtract = 3,
}

/// <summary>A resource with a configuration: a topic by name, a broker by id ("1"; "" for the cluster-wide default), ...</summary>
public readonly record struct ConfigResource(ConfigResourceType Type, string Name)
{
    public static ConfigResource Topic(string name) => new(ConfigResourceType.Topic, name);

    public static ConfigResource Broker(int id) => new(ConfigResourceType.Broker, id.ToString(System.Globalization.CultureInfo.InvariantCulture));

    public override string ToString() => $"{Type} '{Name}'";
}

/// <summary>Another place a configuration value is defined (DescribeConfigs with synonyms).</summary>
public sealed record ConfigSynonym(string Name, string? Value, ConfigSource Source);

/// <summary>One configuration entry of a resource. Sensitive values are null.</summary>
public sealed record ConfigEntry(string Name, string? Value)
{
    public ConfigSource Source { get; init; }

    public bool IsDefault { get; init; }

    public bool IsReadOnly { get; init; }

    public bool IsSensitive { get; init; }

    /// <summary>The value's type as the broker reports it (DescribeConfigs v3+; 0 when unknown).</summary>
    public sbyte ConfigType { get; init; }

    public string? Documentation { get; init; }

    public IReadOnlyList<ConfigSynonym> Synonyms { get; init; } = [];
}

/// <summary>The configuration of one resource.</summary>
public sealed record DescribeConfigsResult(ConfigResource Resource, ErrorCode Error, string? ErrorMessage) : IAdminResult
{
    public IReadOnlyList<ConfigEntry> Entries { get; init; } = [];

    public string Subject => Resource.ToString();
}

/// <summary>One change of an incremental configuration alteration.</summary>
public sealed record ConfigAlteration(string Name, AlterConfigOperation Operation, string? Value = null)
{
    public static ConfigAlteration Set(string name, string value) => new(name, AlterConfigOperation.Set, value);

    public static ConfigAlteration Delete(string name) => new(name, AlterConfigOperation.Delete);
}

/// <summary>The outcome of altering one resource's configuration.</summary>
public sealed record AlterConfigsResult(ConfigResource Resource, ErrorCode Error, string? ErrorMessage) : IAdminResult
{
    public string Subject => Resource.ToString();
}
