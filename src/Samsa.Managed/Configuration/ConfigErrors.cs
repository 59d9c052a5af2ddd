namespace Samsa;

/// <summary>The <see cref="ConfigException"/>s configuration raises, worded alike.</summary>
internal static class ConfigErrors
{
    /// <summary>What is shown in place of a secret's value.</summary>
    public const string Redacted = "[redacted]";

    public static ConfigException Unknown(string name)
    {
        string message = $"Unknown configuration property '{name}'.";
        if (ConfigRegistry.Suggest(name) is { } suggestion)
        {
            message += $" Did you mean '{suggestion}'?";
        }

        return new ConfigException(name, null, message);
    }

    public static ConfigException InvalidValue(ConfigProperty property, string spelledName, string value, string? reason)
    {
        string shown = property.IsSecret ? Redacted : value;
        string alias = spelledName == property.Name ? string.Empty : $" (alias of '{property.Name}')";
        string why = reason ?? $"expected {property.Allowed}";
        return new ConfigException(
            spelledName,
            shown,
            $"Invalid value '{shown}' for configuration property '{spelledName}'{alias}: {why}.");
    }

    /// <summary>A typed value (set through an init property) outside what the property accepts.</summary>
    public static ConfigException OutOfRange(ConfigProperty property, ClientConfig config, string reason)
    {
        string shown = property.Display(config) ?? "(not set)";
        return new ConfigException(
            property.Name,
            shown,
            $"Invalid value '{shown}' for configuration property '{property.Name}': {reason}.");
    }

    /// <summary>A rule between properties; <paramref name="message"/> names them.</summary>
    public static ConfigException Rule(string property, string? value, string message) =>
        new(property, value, message);
}
