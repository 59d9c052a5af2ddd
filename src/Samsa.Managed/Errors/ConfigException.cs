namespace Samsa;

/// <summary>An unknown configuration property, or a value a property does not accept.</summary>
public sealed class ConfigException : KafkaException
{
    public ConfigException(string property, string? value, string message)
        : base(ErrorCode.LocalInvalidArg, message)
    {
        Property = property;
        Value = value;
    }

    /// <summary>The property name as the user spelled it.</summary>
    public string Property { get; }

    /// <summary>The rejected value, or null when the property itself is unknown. Secrets are never kept here.</summary>
    public string? Value { get; }
}
